using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generated header says which kernel runs each recurrent layer's one-sequence step; its rule is the
/// runtime's, written twice (the generator cannot call the library), so this holds the two equal over a
/// range of shapes.
/// </summary>
public class RecurrentStepPathTests
{
    [Fact]
    public void The_header_states_the_runtime_rule_for_a_step_in_registers()
    {
        foreach (int inputs in new[] { 1, 2, 3, 5, 8, 9, 16, 24, 32, 48, 64, 100 })
        {
            foreach (int hidden in new[] { 1, 4, 7, 8, 12, 16, 19, 24, 32, 40, 48, 64, 128 })
            {
                Assert.Equal(NetGen.Runtime.FloatKernels.RecurrentLaneWidth(inputs, hidden), Emission.NetworkEmitter.RecurrentLaneWidth(inputs, hidden));
            }
        }
    }
}
