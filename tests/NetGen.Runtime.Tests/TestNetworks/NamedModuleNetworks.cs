namespace NetGen.Runtime.Tests.TestNetworks;

// The declarations of the PyTorch models in make_fixtures.py's named_module_cases and bias_free_case.

/// <summary>embed Linear(4,16), mlp Linear(16,32), ff Linear(32,16), head Linear(16,3): one order of the sorted modules fits.</summary>
[Network] [Linear(4, 16)] [ReLU] [Linear(16, 32)] [ReLU] [Linear(32, 16)] [ReLU] [Linear(16, 3)]
public partial class NamedUniqueNet { }

/// <summary>embed Linear(4,16), mlp and ff both Linear(16,16), out Linear(16,3): two orders fit.</summary>
[Network] [Linear(4, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 3)]
public partial class NamedAmbiguousNet { }

/// <summary>nn.Sequential(nn.Linear(4, 8, bias=False), nn.ReLU(), nn.Linear(8, 3)).</summary>
[Network] [Linear(4, 8)] [ReLU] [Linear(8, 3)]
public partial class BiasFreeNet { }
