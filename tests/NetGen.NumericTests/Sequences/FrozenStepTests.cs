using System;
using System.Linq;
using System.Reflection;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests.Sequences
{
    // The per-step benchmark's shapes (one input, hidden 32 and 64), beside the lane networks of
    // SequenceNetworks.cs, with double twins.
    [Network] [LSTM(1, 32)] [Linear(32, 1)]
    public partial class SeqFrozenLstm32 { }

    [Network(typeof(double))] [LSTM(1, 32)] [Linear(32, 1)]
    public partial class SeqFrozenLstm32Twin { }

    [Network] [GRU(2, 64)] [Tanh] [Linear(64, 3)]
    public partial class SeqFrozenGru64 { }

    [Network(typeof(double))] [GRU(2, 64)] [Tanh] [Linear(64, 3)]
    public partial class SeqFrozenGru64Twin { }

    /// <summary>
    /// Freeze() of a sequence network: a snapshot whose one-sequence Step reads input-major recurrent weights
    /// (on .NET 8+ with AVX-512; the network's kernels over a copy elsewhere). It must step as the network steps
    /// (the double twin's outputs and states, to float rounding, over many steps), keep its parameters until
    /// Refresh, step many sequences with the network's bits, and check its arguments.
    /// </summary>
    public class FrozenStepTests
    {
        private delegate void StepOne(ReadOnlySpan<float> input, Span<float> output, Span<float> state);

        private delegate void StepMany(ReadOnlySpan<float> inputs, Span<float> outputs, Span<float> states, int batchSize);

        private sealed record Snapshot(ISequenceNetwork<float> Network, ISequenceNetwork<double> Twin, StepOne Step, StepMany StepBatch, Action Refresh);

        public static TheoryData<string> Networks => new() { "gru_lanes", "lstm_lanes", "lanes_odd_inputs", "lstm32", "gru64", "very_wide" };

        private static Snapshot Freeze(string name)
        {
            switch (name)
            {
                case "gru_lanes": { var n = new SeqGruLanesFloat(); var f = n.Freeze(); return new Snapshot(n, new SeqGruLanesDouble(), f.Step, f.Step, f.Refresh); }
                case "lstm_lanes": { var n = new SeqLstmLanesFloat(); var f = n.Freeze(); return new Snapshot(n, new SeqLstmLanesDouble(), f.Step, f.Step, f.Refresh); }
                case "lanes_odd_inputs": { var n = new SeqLanesOddInputsFloat(); var f = n.Freeze(); return new Snapshot(n, new SeqLanesOddInputsDouble(), f.Step, f.Step, f.Refresh); }
                case "lstm32": { var n = new SeqFrozenLstm32(); var f = n.Freeze(); return new Snapshot(n, new SeqFrozenLstm32Twin(), f.Step, f.Step, f.Refresh); }
                case "gru64": { var n = new SeqFrozenGru64(); var f = n.Freeze(); return new Snapshot(n, new SeqFrozenGru64Twin(), f.Step, f.Step, f.Refresh); }
                // Too wide for the step's stack scratch: the snapshot steps its plain copy through the network's kernels.
                case "very_wide": { var n = new SeqVeryWideInput(); var f = n.Freeze(); return new Snapshot(n, null!, f.Step, f.Step, f.Refresh); }
                default: throw new ArgumentException(name, nameof(name));
            }
        }

        private static void Randomize(INetwork<float> network, int seed, double scale)
        {
            var random = new Random(seed);
            for (int i = 0; i < network.Parameters.Length; i++)
            {
                network.Parameters[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
            }
        }

        [Theory]
        [MemberData(nameof(Networks))]
        public void Stepping_agrees_with_the_double_twin(string name)
        {
            if (name == "very_wide")
            {
                return; // no double twin: the next test holds it to the network itself
            }
            Snapshot frozen = Freeze(name);
            ISequenceNetwork<float> network = frozen.Network;
            Randomize(network, 103, 0.6);
            frozen.Refresh();
            Numbers.ToDouble<float>(network.Parameters).CopyTo(frozen.Twin.Parameters, 0);
            var random = new Random(107);
            var state = new float[network.StateSize];
            var twinState = new double[network.StateSize];
            var output = new float[network.OutputSize];
            var expected = new double[network.OutputSize];
            for (int step = 0; step < 40; step++)
            {
                float[] input = Numbers.To<float>(Numbers.Uniform(random, network.InputSize, step < 30 ? 1.5 : 12.0));
                frozen.Step(input, output, state);
                frozen.Twin.Step(Numbers.ToDouble<float>(input), expected, twinState);
                Numbers.AssertClose($"{name}, step {step}, output", expected, output);
                Numbers.AssertClose($"{name}, step {step}, state", twinState, state);
            }
        }

        [Theory]
        [MemberData(nameof(Networks))]
        public void Stepping_agrees_with_the_network_and_keeps_its_parameters_until_refreshed(string name)
        {
            Snapshot frozen = Freeze(name);
            ISequenceNetwork<float> network = frozen.Network;
            Randomize(network, 109, 0.5);
            frozen.Refresh();
            float[] inputs = Numbers.To<float>(Numbers.Uniform(new Random(113), 12 * network.InputSize, 1.0));
            float[] Run(StepOne step)
            {
                var state = new float[network.StateSize];
                var outputs = new float[12 * network.OutputSize];
                for (int s = 0; s < 12; s++)
                {
                    step(inputs.AsSpan(s * network.InputSize, network.InputSize), outputs.AsSpan(s * network.OutputSize, network.OutputSize), state);
                }
                return outputs;
            }
            float[] before = Run(frozen.Step);
            Numbers.AssertClose($"{name}, as the network steps", Numbers.ToDouble<float>(Run(network.Step)), before);

            Randomize(network, 127, 0.5);
            Numbers.AssertBitwiseEqual<float>($"{name}, after the network's parameters changed", before, Run(frozen.Step));
            float[] changed = Run(network.Step);
            Assert.False(changed.SequenceEqual(before), $"{name}: new parameters should change the outputs, or this test shows nothing.");
            frozen.Refresh();
            Numbers.AssertClose($"{name}, refreshed", Numbers.ToDouble<float>(changed), Run(frozen.Step));
        }

        /// <summary>Many sequences at once run the network's batched kernels over the snapshot's copy: the network's bits.</summary>
        [Theory]
        [MemberData(nameof(Networks))]
        public void Stepping_many_sequences_gives_the_networks_bits(string name)
        {
            Snapshot frozen = Freeze(name);
            ISequenceNetwork<float> network = frozen.Network;
            Randomize(network, 131, 0.5);
            frozen.Refresh();
            foreach (int batch in new[] { 1, 5, 33 })
            {
                var states = new float[batch * network.StateSize];
                var expectedStates = new float[batch * network.StateSize];
                var outputs = new float[batch * network.OutputSize];
                var expected = new float[batch * network.OutputSize];
                var random = new Random(137 + batch);
                for (int step = 0; step < 4; step++)
                {
                    float[] inputs = Numbers.To<float>(Numbers.Uniform(random, batch * network.InputSize, 1.0));
                    network.Step(inputs, expected, expectedStates, batch);
                    frozen.StepBatch(inputs, outputs, states, batch);
                    Numbers.AssertBitwiseEqual<float>($"{name}, batch {batch}, step {step}", expected, outputs);
                    Numbers.AssertBitwiseEqual<float>($"{name}, batch {batch}, step {step}, states", expectedStates, states);
                }
            }
        }

        [Theory]
        [MemberData(nameof(Networks))]
        public void Wrong_lengths_throw_naming_the_argument_and_leave_the_state(string name)
        {
            Snapshot frozen = Freeze(name);
            ISequenceNetwork<float> network = frozen.Network;
            int i = network.InputSize, o = network.OutputSize, s = network.StateSize;
            var state = Enumerable.Range(0, s).Select(k => k * 0.01f).ToArray();
            float[] kept = (float[])state.Clone();
            Assert.Equal("input", Assert.ThrowsAny<ArgumentException>(() => frozen.Step(new float[i + 1], new float[o], state)).ParamName);
            Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => frozen.Step(new float[i], new float[o + 1], state)).ParamName);
            Assert.Equal("state", Assert.ThrowsAny<ArgumentException>(() => frozen.Step(new float[i], new float[o], new float[s - 1])).ParamName);
            Assert.Equal("batchSize", Assert.ThrowsAny<ArgumentException>(() => frozen.StepBatch(new float[i], new float[o], state, 0)).ParamName);
            Assert.Equal("states", Assert.ThrowsAny<ArgumentException>(() => frozen.StepBatch(new float[2 * i], new float[2 * o], state, 2)).ParamName);
            Assert.Equal(kept, state);
        }

#if NET
        [Fact]
        public void Step_allocates_nothing()
        {
            var net = new SeqFrozenLstm32();
            FrozenSequenceNetwork<float> frozen = net.Freeze();
            Assert.Same(net, frozen.Network);
            var input = new float[SeqFrozenLstm32.InputSize];
            var output = new float[SeqFrozenLstm32.OutputSize];
            var state = new float[SeqFrozenLstm32.StateSize];
            var inputs = new float[8 * SeqFrozenLstm32.InputSize];
            var outputs = new float[8 * SeqFrozenLstm32.OutputSize];
            var states = new float[8 * SeqFrozenLstm32.StateSize];
            void Calls()
            {
                frozen.Step(input, output, state);
                frozen.Step(inputs, outputs, states, 8);
                frozen.Refresh();
            }
            Calls();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 100; k++)
            {
                Calls();
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
#endif

        /// <summary>
        /// Freeze() exists where a recurrent layer steps in registers (float, not deterministic, a hidden size that
        /// is a multiple of 8), and nowhere else, where it could only copy the parameters.
        /// </summary>
        [Theory]
        [InlineData(typeof(SeqGruLanesFloat), true)]
        [InlineData(typeof(SeqVeryWideInput), true)]
        [InlineData(typeof(SeqGruLanesDouble), false)]
        [InlineData(typeof(SeqMixedCeFloat), false)]
        [InlineData(typeof(SeqDeterministicFloat), false)]
        public void Freeze_exists_where_the_step_runs_in_registers(Type network, bool freezes)
            => Assert.Equal(freezes, network.GetMethod("Freeze", BindingFlags.Public | BindingFlags.Instance) is not null);
    }
}
