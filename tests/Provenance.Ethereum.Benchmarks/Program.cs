using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Provenance.Ethereum.Benchmarks.EthereumBenchmarks).Assembly).Run(args);
