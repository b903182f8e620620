namespace Provenance.Api.Records;

/// <summary>Registers photo storage.</summary>
public static class RecordsExtensions
{
    /// <summary>Adds <see cref="PhotoStore"/> and its options.</summary>
    public static IHostApplicationBuilder AddRecords(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PhotoOptions>().BindConfiguration(PhotoOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<PhotoStore>();
        return builder;
    }
}
