using Provenance.Verify;

return await VerifyCommand.InvokeAsync(args, Console.Out, Console.Error, Console.OpenStandardOutput);
