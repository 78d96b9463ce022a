using System;
using System.Linq;
using System.Threading.Tasks;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests.Sequences;

/// <summary>
/// What the sequence contract promises beyond PyTorch's numbers: stepping equals the whole-sequence forward
/// at every step (bit for bit, one sequence and many), INetwork's members are sequences of one step, the
/// state is the caller's (reset, saved and resumed), gradients agree with finite differences in double, bad
/// calls throw naming the argument and change nothing, Step allocates nothing and is thread-safe across
/// distinct states.
/// </summary>
public class SequenceBehaviourTests
{
    public static TheoryData<string> Cases => new(SequenceCatalog.Names);

    [Theory, MemberData(nameof(Cases))]
    public void Stepping_equals_the_whole_sequence_forward_at_every_step(string name)
    {
        StepEqualsForward(SequenceCatalog.Float(name).Net, batch: 1, steps: 5);
        StepEqualsForward(SequenceCatalog.Float(name).Net, batch: 19, steps: 4);
        StepEqualsForward(SequenceCatalog.Double(name).Net, batch: 1, steps: 5);
        StepEqualsForward(SequenceCatalog.Double(name).Net, batch: 70, steps: 3);
    }

    private static void StepEqualsForward<T>(ISequenceNetwork<T> net, int batch, int steps) where T : unmanaged
    {
        var random = new Random(batch * 31 + steps);
        T[] inputs = Numbers.To<T>(Numbers.Uniform(random, batch * steps * net.InputSize, 1.5));
        var whole = new T[batch * steps * net.OutputSize];
        net.Forward(inputs, whole, batch, steps);

        var states = new T[batch * net.StateSize];
        net.ResetState(states);
        var x = new T[batch * net.InputSize];
        var y = new T[batch * net.OutputSize];
        for (int t = 0; t < steps; t++)
        {
            for (int s = 0; s < batch; s++)
            {
                Array.Copy(inputs, ((s * steps) + t) * net.InputSize, x, s * net.InputSize, net.InputSize);
            }
            if (batch == 1)
            {
                net.Step(x, y, states);
            }
            else
            {
                net.Step(x, y, states, batch);
            }
            for (int s = 0; s < batch; s++)
            {
                var expected = new ReadOnlySpan<T>(whole, ((s * steps) + t) * net.OutputSize, net.OutputSize);
                Numbers.AssertBitwiseEqual($"step {t} of sequence {s} (batch {batch})", expected, new ReadOnlySpan<T>(y, s * net.OutputSize, net.OutputSize));
            }
        }
    }

    [Fact]
    public void An_input_that_fills_no_vector_ignores_the_next_rows_weights()
    {
        // GRU(3, 16) takes the step in registers on AVX-512 with its 3 inputs zero-padded to a vector; the
        // padding lanes of row 0's weights are rows 1 to 5's. An infinite weight in row 1 (times an input of
        // 1: its gate is exactly 1) must not reach row 0 as infinity * 0 = NaN.
        var net = new SeqLanesOddInputsFloat();
        net.Parameters[3] = float.PositiveInfinity;     // weight_ih_l0[1, 0]
        var state = new float[SeqLanesOddInputsFloat.StateSize];
        var output = new float[SeqLanesOddInputsFloat.OutputSize];
        float[] input = { 1f, 1f, 1f };
        for (int t = 0; t < 3; t++)
        {
            net.Step(input, output, state);
            Assert.All(state, v => Assert.True(!float.IsNaN(v) && !float.IsInfinity(v), $"step {t}: a state value is {v}"));
            Assert.All(output, v => Assert.True(!float.IsNaN(v) && !float.IsInfinity(v), $"step {t}: an output is {v}"));
        }
    }

    [Fact]
    public void A_network_too_wide_for_stack_scratch_steps_through_the_pool()
    {
        // 9,000 inputs: more than the 64 KB of stack a step may take, so one sequence's Step takes Step's
        // pooled path; stepping must still equal the whole-sequence forward, which runs the same way.
        var net = new SeqVeryWideInput();
        Assert.True((SeqVeryWideInput.InputSize * 3 * sizeof(float)) > 64 * 1024, "the scratch must not fit the stack budget");
        StepEqualsForward(net, batch: 1, steps: 3);
        StepEqualsForward(net, batch: 3, steps: 2);
        var state = new float[SeqVeryWideInput.StateSize];
        var output = new float[SeqVeryWideInput.OutputSize];
        net.Step(new float[SeqVeryWideInput.InputSize], output, state);
        Assert.Contains(state, v => v != 0f);
    }

    [Theory, MemberData(nameof(Cases))]
    public void INetwork_forward_and_backward_are_sequences_of_one_step(string name)
    {
        ISequenceNetwork<double> net = SequenceCatalog.Double(name).Net;
        var random = new Random(5);
        const int batch = 3;
        double[] inputs = Numbers.Uniform(random, batch * net.InputSize);
        var viaSequences = new double[batch * net.OutputSize];
        var viaBatch = new double[batch * net.OutputSize];
        var one = new double[net.OutputSize];
        net.Forward(inputs, viaSequences, batch, 1);
        net.Forward(inputs, viaBatch, batch);
        net.Forward(inputs.AsSpan(0, net.InputSize), one);
        Numbers.AssertBitwiseEqual("Forward(inputs, outputs, batchSize)", viaSequences, viaBatch);
        // One sequence alone runs the one-sequence kernels, a batch puts sequences in the vector lanes: the
        // same values up to rounding (bit for bit in the deterministic mode, which SequenceDeterminismTests pins).
        Numbers.AssertClose("Forward(input, output)", viaSequences.AsSpan(0, net.OutputSize).ToArray(), one);

        double[] upstream = Numbers.Uniform(random, batch * net.OutputSize);
        var inputGradients = new double[inputs.Length];
        net.Backward(inputs, upstream, inputGradients, batch, 1);
        double[] gradients = (double[])net.Gradients.Clone();
        Array.Clear(net.Gradients, 0, net.Gradients.Length);
        var inputGradientsOfOne = new double[inputs.Length];
        net.Backward(inputs, upstream, inputGradientsOfOne);
        Numbers.AssertBitwiseEqual("Backward(inputs, outputGradients, inputGradients)", gradients, net.Gradients);
        Numbers.AssertBitwiseEqual("its input gradients", inputGradients, inputGradientsOfOne);
        Array.Clear(net.Gradients, 0, net.Gradients.Length);
        net.Backward(inputs, upstream);
        Numbers.AssertBitwiseEqual("Backward(inputs, outputGradients)", gradients, net.Gradients);
    }

    [Fact]
    public void A_saved_state_resumes_the_sequence()
    {
        var net = new SeqLstmStackedTanhFloat();
        var random = new Random(8);
        float[] inputs = Numbers.To<float>(Numbers.Uniform(random, 6 * SeqLstmStackedTanhFloat.InputSize));
        var state = new float[SeqLstmStackedTanhFloat.StateSize];
        var output = new float[SeqLstmStackedTanhFloat.OutputSize];
        for (int t = 0; t < 3; t++)
        {
            net.Step(inputs.AsSpan(t * 3, 3), output, state);
        }
        float[] saved = (float[])state.Clone();
        var resumed = new float[output.Length];
        for (int t = 3; t < 6; t++)
        {
            net.Step(inputs.AsSpan(t * 3, 3), output, state);
            net.Step(inputs.AsSpan(t * 3, 3), resumed, saved);
            Numbers.AssertBitwiseEqual("resumed from a copy of the state", output, resumed);
        }
        Assert.Contains(state, v => v != 0f);
        net.ResetState(state);
        Assert.All(state, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData("lstm_stacked_tanh")]
    [InlineData("mixed_ce")]
    [InlineData("gru_wide")]
    [InlineData("gru_stacked_ce")]
    public void Gradients_agree_with_finite_differences(string name)
    {
        SequenceSubject<double> subject = SequenceCatalog.Double(name);
        ISequenceNetwork<double> net = subject.Net;
        var reference = SequenceReference.Load(name);
        reference.Parameters.CopyTo(net.Parameters, 0);
        int batch = reference.Batch, steps = reference.Steps;
        double[] inputs = reference.Inputs;
        double Loss() => subject.Loss(inputs, reference.Targets, reference.Labels, steps);

        subject.TrainStep(inputs, reference.Targets, reference.Labels, steps, 0);
        double[] analytic = (double[])net.Gradients.Clone();
        const double H = 1e-6;
        for (int i = 0; i < net.ParameterCount; i += 7)
        {
            double saved = net.Parameters[i];
            net.Parameters[i] = saved + H;
            double up = Loss();
            net.Parameters[i] = saved - H;
            double down = Loss();
            net.Parameters[i] = saved;
            Numbers.AssertClose($"d(loss)/d(parameter {i})", (up - down) / (2 * H), analytic[i], new Tolerance(1e-7, 1e-5));
        }

        // Input gradients of sum(upstream * outputs).
        double[] upstream = reference.Upstream;
        var inputGradients = new double[inputs.Length];
        net.Backward(inputs, upstream, inputGradients, batch, steps);
        var outputs = new double[upstream.Length];
        double Weighted()
        {
            net.Forward(inputs, outputs, batch, steps);
            return outputs.Select((v, k) => v * upstream[k]).Sum();
        }
        for (int i = 0; i < inputs.Length; i += 5)
        {
            double saved = inputs[i];
            inputs[i] = saved + H;
            double up = Weighted();
            inputs[i] = saved - H;
            double down = Weighted();
            inputs[i] = saved;
            Numbers.AssertClose($"d/d(input {i})", (up - down) / (2 * H), inputGradients[i], new Tolerance(1e-7, 1e-5));
        }
    }

    [Fact]
    public void Bad_calls_throw_naming_the_argument_and_change_nothing()
    {
        var net = new SeqGruStackedCeFloat();
        float[] parameters = (float[])net.Parameters.Clone();
        var inputs = new float[2 * 3 * SeqGruStackedCeFloat.InputSize];
        var outputs = new float[2 * 3 * SeqGruStackedCeFloat.OutputSize];
        var states = new float[2 * SeqGruStackedCeFloat.StateSize];
        var labels = new int[2 * 3];

        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => net.Forward(inputs, outputs, 2, 0)).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => net.Forward(inputs, outputs, 0, 3)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.Forward(inputs, outputs, 2, 2)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => net.Forward(inputs, outputs.AsSpan(1), 2, 3)).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => net.Step(inputs.AsSpan(0, 4), outputs.AsSpan(0, 3), states)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => net.Step(inputs.AsSpan(0, 5), outputs.AsSpan(0, 3), states.AsSpan(0, 14))).ParamName);
        Assert.Equal("states", Assert.Throws<ArgumentException>(() => net.Step(inputs.AsSpan(0, 8), outputs.AsSpan(0, 6), states.AsSpan(1), 2)).ParamName);
        Assert.Equal("states", Assert.Throws<ArgumentException>(() => net.ResetState(states.AsSpan(1))).ParamName);
        Assert.Equal("inputGradients", Assert.Throws<ArgumentException>(() => net.Backward(inputs, outputs, new float[3], 2, 3)).ParamName);
        Assert.Equal("outputGradients", Assert.Throws<ArgumentException>(() => net.Backward(inputs, outputs.AsSpan(2), default, 2, 3)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => net.Loss(inputs, labels.AsSpan(1), 3)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(inputs, labels, 0, 0.1f)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.TrainStep(inputs.AsSpan(4), labels, 3, 0.1f)).ParamName);
        labels[4] = 3;
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(inputs, labels, 3, 0.1f)).ParamName);
        labels[4] = 0;
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(inputs, labels, 3, float.NaN)).ParamName);
        Assert.Equal(parameters, net.Parameters);

        // A non-finite input makes a non-finite loss: no update at all.
        inputs[5] = float.NaN;
        net.TrainStep(inputs, labels, 3, 0.1f);
        Assert.Equal(parameters, net.Parameters);

        var regressor = new SeqLstmMseDouble();
        double[] before = (double[])regressor.Parameters.Clone();
        var targets = new double[2 * 3 * SeqLstmMseDouble.OutputSize];
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => regressor.Loss(new double[2 * 3 * 3], targets.AsSpan(2), 3)).ParamName);
        targets[1] = double.PositiveInfinity;
        regressor.TrainStep(new double[2 * 3 * 3], targets, 3, 0.1);
        Assert.Equal(before, regressor.Parameters);
    }

#if NET
    // .NET Framework and Mono have no per-thread allocation counter.
    [Fact]
    public void Step_allocates_nothing()
    {
        var net = new SeqMixedCeFloat();
        var input = new float[SeqMixedCeFloat.InputSize * 40];
        var output = new float[SeqMixedCeFloat.OutputSize * 40];
        var states = new float[SeqMixedCeFloat.StateSize * 40];
        var sequence = new float[SeqMixedCeFloat.OutputSize * 40 * 2];
        net.Step(input.AsSpan(0, SeqMixedCeFloat.InputSize), output.AsSpan(0, SeqMixedCeFloat.OutputSize), states.AsSpan(0, SeqMixedCeFloat.StateSize));
        net.Step(input, output, states, 40);
        net.Forward(new float[input.Length * 2], sequence, 40, 2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            net.Step(input.AsSpan(0, SeqMixedCeFloat.InputSize), output.AsSpan(0, SeqMixedCeFloat.OutputSize), states.AsSpan(0, SeqMixedCeFloat.StateSize));
            net.Step(input, output, states, 40);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
#endif

    [Fact]
    public void Step_is_thread_safe_across_distinct_states()
    {
        var net = new SeqGruWideFloat();
        const int Agents = 16, Steps = 30;
        var random = new Random(3);
        float[] inputs = Numbers.To<float>(Numbers.Uniform(random, Agents * Steps * SeqGruWideFloat.InputSize));
        float[] Run(int agent)
        {
            var state = new float[SeqGruWideFloat.StateSize];
            var output = new float[SeqGruWideFloat.OutputSize];
            var all = new float[Steps * SeqGruWideFloat.OutputSize];
            for (int t = 0; t < Steps; t++)
            {
                net.Step(inputs.AsSpan(((agent * Steps) + t) * 9, 9), output, state);
                output.CopyTo(all, t * SeqGruWideFloat.OutputSize);
            }
            return all;
        }
        float[][] alone = Enumerable.Range(0, Agents).Select(Run).ToArray();
        var together = new float[Agents][];
        Parallel.For(0, Agents, new ParallelOptions { MaxDegreeOfParallelism = 4 }, agent => together[agent] = Run(agent));
        for (int agent = 0; agent < Agents; agent++)
        {
            Numbers.AssertBitwiseEqual($"agent {agent}", alone[agent], together[agent]);
        }
    }

    [Fact]
    public void A_recurrent_layer_alone_is_a_network()
    {
        var net = new SeqGruAlone();
        Assert.Equal(8, SeqGruAlone.InputSize);
        Assert.Equal(8, SeqGruAlone.OutputSize);
        Assert.Equal(8, SeqGruAlone.StateSize);
        Assert.Equal((3 * 8 * 8) + (3 * 8 * 8) + (2 * 3 * 8), SeqGruAlone.ParameterCount);
        Assert.Equal("float: GRU(8,8)", net.Architecture);
        // PyTorch's initialisation: every value within 1/sqrt(hidden).
        Assert.All(net.Parameters, v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(8)));
        Assert.True(net.Parameters.Select(Math.Abs).Max() > 0.3, "the values fill the range");
        net.Prepare();
    }
}
