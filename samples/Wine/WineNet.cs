using NetGen;

namespace Wine;

/// <summary>
/// Predicts a wine's proline content (mg/L) from its twelve other chemical measurements: a regressor, since it
/// ends in [MSELoss]. It learns standardised inputs and a standardised target (see Program.cs).
/// </summary>
[Network]
[Linear(12, 32)]
[ReLU]
[Linear(32, 1)]
[MSELoss]
public partial class WineNet { }
