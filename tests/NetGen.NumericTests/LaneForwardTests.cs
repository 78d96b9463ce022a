using System;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests.LaneNetworks
{
    // Float networks whose one-sample forward is written out in full on .NET 8+ with AVX-512 (every kind
    // of step: one input broadcast, 512- and 256-bit rows into 16 or 8 outputs, mixed widths, scalar
    // outputs), each with a double twin that runs the shared kernels. Elsewhere the float ones run the
    // shared kernels too, and the same tests hold.
    [Network] [Linear(1, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 1)]
    public partial class LaneScalarIn { }

    [Network(typeof(double))] [Linear(1, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 1)]
    public partial class LaneScalarInTwin { }

    [Network] [Linear(8, 8)] [Tanh] [Linear(8, 8)] [Tanh] [Linear(8, 8)]
    public partial class LaneNarrow { }

    [Network(typeof(double))] [Linear(8, 8)] [Tanh] [Linear(8, 8)] [Tanh] [Linear(8, 8)]
    public partial class LaneNarrowTwin { }

    [Network] [Linear(16, 8)] [Tanh] [Linear(8, 16)] [ReLU] [Linear(16, 32)] [Linear(32, 24)] [Tanh] [Linear(24, 10)]
    public partial class LaneMixed { }

    [Network(typeof(double))] [Linear(16, 8)] [Tanh] [Linear(8, 16)] [ReLU] [Linear(16, 32)] [Linear(32, 24)] [Tanh] [Linear(24, 10)]
    public partial class LaneMixedTwin { }

    [Network] [Linear(8, 64)] [Tanh] [Linear(64, 64)] [ReLU] [Linear(64, 4)] [MSELoss]
    public partial class LanePolicy { }

    [Network(typeof(double))] [Linear(8, 64)] [Tanh] [Linear(64, 64)] [ReLU] [Linear(64, 4)] [MSELoss]
    public partial class LanePolicyTwin { }

    // LayerNorm and residual blocks between the Linear layers, as reinforcement-learning recipes build policies:
    // 512-bit vectors, and nested blocks in 256-bit ones with a LayerNorm inside and two activations in a row.
    [Network] [Linear(8, 64)] [LayerNorm] [ReLU] [Residual] [Linear(64, 64)] [ReLU] [Linear(64, 64)] [EndResidual] [ReLU] [Linear(64, 4)] [MSELoss]
    public partial class LaneBlocks { }

    [Network(typeof(double))] [Linear(8, 64)] [LayerNorm] [ReLU] [Residual] [Linear(64, 64)] [ReLU] [Linear(64, 64)] [EndResidual] [ReLU] [Linear(64, 4)] [MSELoss]
    public partial class LaneBlocksTwin { }

    [Network] [Linear(8, 24)] [Tanh] [Residual] [Linear(24, 24)] [LayerNorm] [Residual] [Linear(24, 24)] [ReLU] [Tanh] [EndResidual] [EndResidual] [Linear(24, 5)]
    public partial class LaneNestedBlocks { }

    [Network(typeof(double))] [Linear(8, 24)] [Tanh] [Residual] [Linear(24, 24)] [LayerNorm] [Residual] [Linear(24, 24)] [ReLU] [Tanh] [EndResidual] [EndResidual] [Linear(24, 5)]
    public partial class LaneNestedBlocksTwin { }
}

namespace NetGen.NumericTests
{
    using NetGen.NumericTests.LaneNetworks;

    /// <summary>
    /// The written-out one-sample forward (small float networks, .NET 8+ with AVX-512) against the shared
    /// kernels in double on the same parameters and inputs, and against its own batched forward: every output, large inputs
    /// (tanh near its limits), and NaN passing through.
    /// </summary>
    public class LaneForwardTests
    {
        public static TheoryData<string> Networks => new() { "scalar-in", "narrow", "mixed", "policy", "blocks", "nested-blocks" };

        private static (INetwork<float> Single, INetwork<double> Twin) Pair(string name) => name switch
        {
            "scalar-in" => (new LaneScalarIn(), new LaneScalarInTwin()),
            "narrow" => (new LaneNarrow(), new LaneNarrowTwin()),
            "mixed" => (new LaneMixed(), new LaneMixedTwin()),
            "policy" => (new LanePolicy(), new LanePolicyTwin()),
            "blocks" => (new LaneBlocks(), new LaneBlocksTwin()),
            "nested-blocks" => (new LaneNestedBlocks(), new LaneNestedBlocksTwin()),
            _ => throw new ArgumentException(name, nameof(name)),
        };

        [Theory]
        [MemberData(nameof(Networks))]
        public void One_sample_agrees_with_the_double_twin(string name)
        {
            (INetwork<float> single, INetwork<double> twin) = Pair(name);
            double[] parameters = Numbers.ToDouble<float>(single.Parameters);
            parameters.CopyTo(twin.Parameters, 0);
            var random = new Random(53);
            var output = new float[single.OutputSize];
            var expected = new double[twin.OutputSize];
            foreach (double scale in new[] { 1.0, 4.0, 40.0 })
            {
                for (int sample = 0; sample < 25; sample++)
                {
                    double[] input = Numbers.ToDouble<float>(Numbers.To<float>(Numbers.Uniform(random, single.InputSize, scale)));
                    single.Forward(Numbers.To<float>(input), output);
                    twin.Forward(input, expected);
                    Numbers.AssertClose($"{name}, scale {scale}, sample {sample}", expected, output);
                }
            }
        }

        [Theory]
        [MemberData(nameof(Networks))]
        public void One_sample_agrees_with_the_same_network_batched(string name)
        {
            INetwork<float> single = Pair(name).Single;
            const int batch = 19;
            float[] inputs = Numbers.To<float>(Numbers.Uniform(new Random(59), batch * single.InputSize, 2.0));
            var batched = new float[batch * single.OutputSize];
            single.Forward(inputs, batched, batch);
            var one = new float[single.OutputSize];
            for (int b = 0; b < batch; b++)
            {
                single.Forward(inputs.AsSpan(b * single.InputSize, single.InputSize), one);
                Numbers.AssertClose($"{name}, sample {b}", Numbers.ToDouble<float>(batched.AsSpan(b * single.OutputSize, single.OutputSize)), one);
            }
        }

        [Fact]
        public void Nan_input_gives_nan_outputs()
        {
            var net = new LaneNarrow();
            var input = new float[LaneNarrow.InputSize];
            input[3] = float.NaN;
            var output = new float[LaneNarrow.OutputSize];
            net.Forward(input, output);
            Assert.All(output, value => Assert.True(float.IsNaN(value)));
        }
    }
}
