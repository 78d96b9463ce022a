using System;
using System.Linq;
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

    // SiLU, LeakyReLU, Sigmoid and Dropout (the identity in Forward) between the layers, as the Control sample's
    // actor and critic have them; inputs of a width that is no multiple of 8 (padded to a vector); scalar
    // outputs through an activation.
    [Network] [Linear(8, 32)] [SiLU] [Linear(32, 32)] [LeakyReLU(0.2)] [Dropout(0.25)] [Linear(32, 16)] [Sigmoid] [SiLU] [Linear(16, 4)] [MSELoss]
    public partial class LaneSmooth { }

    [Network(typeof(double))] [Linear(8, 32)] [SiLU] [Linear(32, 32)] [LeakyReLU(0.2)] [Dropout(0.25)] [Linear(32, 16)] [Sigmoid] [SiLU] [Linear(16, 4)] [MSELoss]
    public partial class LaneSmoothTwin { }

    [Network] [Linear(5, 32)] [SiLU] [Linear(32, 32)] [SiLU] [Linear(32, 1)] [Tanh]
    public partial class LanePaddedActor { }

    [Network(typeof(double))] [Linear(5, 32)] [SiLU] [Linear(32, 32)] [SiLU] [Linear(32, 1)] [Tanh]
    public partial class LanePaddedActorTwin { }

    // Classifiers: the GameLoop sample's policy shape (six inputs, five classes) and one whose classes fill a vector.
    [Network] [Linear(6, 16)] [ReLU] [Linear(16, 5)] [Softmax] [CrossEntropyLoss]
    public partial class LaneForager { }

    [Network(typeof(double))] [Linear(6, 16)] [ReLU] [Linear(16, 5)] [Softmax] [CrossEntropyLoss]
    public partial class LaneForagerTwin { }

    [Network] [Linear(8, 16)] [Tanh] [Linear(16, 16)] [Softmax]
    public partial class LaneSoftmaxWide { }

    [Network(typeof(double))] [Linear(8, 16)] [Tanh] [Linear(16, 16)] [Softmax]
    public partial class LaneSoftmaxWideTwin { }

    [Network] [Linear(13, 16)]
    public partial class LanePaddedLayer { }

    [Network(typeof(double))] [Linear(13, 16)]
    public partial class LanePaddedLayerTwin { }

    [Network] [Linear(13, 16)] [LeakyReLU] [Linear(16, 16)] [LeakyReLU(-1.5)] [Linear(16, 11)] [Sigmoid] [MSELoss]
    public partial class LanePaddedWide { }

    [Network(typeof(double))] [Linear(13, 16)] [LeakyReLU] [Linear(16, 16)] [LeakyReLU(-1.5)] [Linear(16, 11)] [Sigmoid] [MSELoss]
    public partial class LanePaddedWideTwin { }
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
        public static TheoryData<string> Networks => new() { "scalar-in", "narrow", "mixed", "policy", "blocks", "nested-blocks", "smooth", "padded-actor", "padded-wide", "padded-layer", "forager", "softmax-wide" };

        private static (INetwork<float> Single, INetwork<double> Twin) Pair(string name) => name switch
        {
            "scalar-in" => (new LaneScalarIn(), new LaneScalarInTwin()),
            "narrow" => (new LaneNarrow(), new LaneNarrowTwin()),
            "mixed" => (new LaneMixed(), new LaneMixedTwin()),
            "policy" => (new LanePolicy(), new LanePolicyTwin()),
            "blocks" => (new LaneBlocks(), new LaneBlocksTwin()),
            "nested-blocks" => (new LaneNestedBlocks(), new LaneNestedBlocksTwin()),
            "smooth" => (new LaneSmooth(), new LaneSmoothTwin()),
            "padded-actor" => (new LanePaddedActor(), new LanePaddedActorTwin()),
            "padded-wide" => (new LanePaddedWide(), new LanePaddedWideTwin()),
            "padded-layer" => (new LanePaddedLayer(), new LanePaddedLayerTwin()),
            "forager" => (new LaneForager(), new LaneForagerTwin()),
            "softmax-wide" => (new LaneSoftmaxWide(), new LaneSoftmaxWideTwin()),
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

        /// <summary>
        /// Every float network above has the written-out forward (on .NET 8+), so the tests above check it
        /// wherever AVX-512 runs it, rather than passing through the shared kernels unnoticed.
        /// </summary>
        [Theory]
        [MemberData(nameof(Networks))]
        public void The_float_network_is_written_out(string name)
        {
            Type network = Pair(name).Single.GetType();
            Type? kernels = network.GetNestedType("Kernels", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);
            Assert.NotNull(kernels);
#if NET8_0_OR_GREATER
            Assert.NotNull(kernels!.GetMethod("ForwardInLanes"));
#else
            Assert.Null(kernels!.GetMethod("ForwardInLanes"));
#endif
        }

        /// <summary>A classifier's Predict, which takes the written-out forward too, names the class its Forward scores highest.</summary>
        [Fact]
        public void Predict_is_the_largest_output_of_the_written_out_forward()
        {
            var net = new LaneForager();
            var random = new Random(67);
            var output = new float[LaneForager.OutputSize];
            for (int sample = 0; sample < 50; sample++)
            {
                float[] input = Numbers.To<float>(Numbers.Uniform(random, LaneForager.InputSize, 3.0));
                net.Forward(input, output);
                int best = 0;
                for (int k = 1; k < output.Length; k++)
                {
                    best = output[k] > output[best] ? k : best;
                }
                Assert.Equal(best, net.Predict(input));
                Assert.Equal(1.0, output.Sum(v => (double)v), 6);
            }
        }

        /// <summary>
        /// A padded input's last chunk also reads, past each weight row's end, the next row's first weights:
        /// an infinite weight there must change that row's output only (0 * infinity would make the row
        /// before it NaN if those lanes were not masked off).
        /// </summary>
        [Fact]
        public void A_padded_input_ignores_the_next_rows_weights()
        {
            var single = new LanePaddedLayer();
            var twin = new LanePaddedLayerTwin();
            single.InitializeParameters(3);
            // Row 0 holds weights 0-12; its padded chunk (inputs 8-15) also reads weights 13-15, row 1's first three.
            single.Parameters[14] = float.PositiveInfinity;
            Numbers.ToDouble<float>(single.Parameters).CopyTo(twin.Parameters, 0);
            float[] input = Numbers.To<float>(Numbers.Uniform(new Random(61), LanePaddedLayer.InputSize, 1.0));
            input[1] = 0.5f;
            var output = new float[LanePaddedLayer.OutputSize];
            var expected = new double[LanePaddedLayer.OutputSize];
            single.Forward(input, output);
            twin.Forward(Numbers.ToDouble<float>(input), expected);
            Assert.Equal(float.PositiveInfinity, output[1]);
            Assert.Equal(double.PositiveInfinity, expected[1]);
            output[1] = 0;
            expected[1] = 0;
            Numbers.AssertClose("every other row, with an infinite weight in row 1", expected, output);
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
