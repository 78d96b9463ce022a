using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.NumericTests.Infrastructure;
using NetGen.NumericTests.Networks;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// Residual blocks, LayerNorm, BatchNorm1D and Dropout against PyTorch's numbers (fixtures/pytorch/blocks.json,
/// from make_block_reference.py): eval() outputs with fresh and with updated running statistics, and one
/// train() call with the dropout mask NetGen draws (its loss, parameter and input gradients, running
/// statistics), in double and float, nested blocks included.
/// </summary>
public class BlockReferenceTests
{
    private sealed record Fixture(int Batch, double[] Parameters, double[] Inputs, double[] Targets, double[] EvalBefore, double[] Mask,
        double Loss, double[] Gradients, double[] InputGradients, double[] RunningMean, double[] RunningVar, double[] EvalAfter);

    private static Fixture Load()
    {
        string path = Path.Combine(Path.GetDirectoryName(typeof(BlockReferenceTests).Assembly.Location)!, "fixtures", "pytorch", "blocks.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        double[] Array(string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return new Fixture(root.GetProperty("batch").GetInt32(), Array("parameters"), Array("inputs"), Array("targets"), Array("eval_outputs_before"),
            Array("dropout_mask"), root.GetProperty("train_loss").GetDouble(), Array("gradients"), Array("input_gradients"),
            Array("running_mean"), Array("running_var"), Array("eval_outputs_after"));
    }

    private static T[] Cast<T>(double[] values) where T : unmanaged => values.Select(Numbers.From<T>).ToArray();

    [Fact]
    public void DoubleMatchesPyTorchInEvalAndTrainModes() => Check(new DBlockReference(), Tolerance.Double);

    [Fact]
    public void FloatMatchesPyTorchInEvalAndTrainModes() => Check(new FBlockReference(), scale => new Tolerance(2e-5 * Math.Max(1.0, scale), 2e-4));

    [Fact]
    public void DeterministicFloatMatchesPyTorchInEvalAndTrainModes() => Check(new FBlockDeterministic(), scale => new Tolerance(2e-5 * Math.Max(1.0, scale), 2e-4));

    private static void Check<T>(IRegressor<T> net, Func<double, Tolerance> tolerance) where T : unmanaged
    {
        Fixture f = Load();
        Assert.Equal(f.Parameters.Length, net.ParameterCount);
        Cast<T>(f.Parameters).CopyTo(net.Parameters, 0);
        Assert.Equal(new[] { 0.0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, net.Buffers.Select(Numbers.Widen).ToArray());
        T[] inputs = Cast<T>(f.Inputs), targets = Cast<T>(f.Targets);

        // eval(): no dropout, fresh running statistics; one sample at a time and as a batch.
        var outputs = new T[f.EvalBefore.Length];
        net.Forward(inputs, outputs, f.Batch);
        Numbers.AssertClose("eval() outputs, batch", f.EvalBefore, Numbers.ToDouble<T>(outputs), tolerance(1));
        var one = new T[net.OutputSize];
        net.Forward(inputs.AsSpan(0, net.InputSize), one);
        Numbers.AssertClose("eval() outputs, one sample", f.EvalBefore.AsSpan(0, net.OutputSize), Numbers.ToDouble<T>(one), tolerance(1));

        // Loss is evaluation mode too: the same outputs' mean squared error.
        double evalLoss = f.EvalBefore.Select((y, i) => (y - f.Targets[i]) * (y - f.Targets[i])).Average();
        Numbers.AssertClose("Loss (eval mode)", evalLoss, Numbers.Widen(net.Loss(inputs, targets)), tolerance(evalLoss));

        // train(): a new instance's first training call draws PyTorch's recorded mask from NetGen's generator.
        T loss = net.BackwardFromTargets(inputs, targets);
        Numbers.AssertClose("train() loss", f.Loss, Numbers.Widen(loss), tolerance(f.Loss));
        Numbers.AssertClose("train() parameter gradients", f.Gradients, Numbers.ToDouble<T>(net.Gradients), tolerance(f.Gradients.Max(Math.Abs)));
        Numbers.AssertClose("running_mean after one training call", f.RunningMean, Numbers.ToDouble<T>(net.Buffers.AsSpan(0, 8).ToArray()), tolerance(1));
        Numbers.AssertClose("running_var after one training call", f.RunningVar, Numbers.ToDouble<T>(net.Buffers.AsSpan(8, 8).ToArray()), tolerance(1));

        net.Forward(inputs, outputs, f.Batch);
        Numbers.AssertClose("eval() outputs after the training call", f.EvalAfter, Numbers.ToDouble<T>(outputs), tolerance(1));
    }

    [Fact]
    public void InputGradientsMatchPyTorchWithTheSameMask()
    {
        Fixture f = Load();
        var net = new DBlockReference();
        f.Parameters.CopyTo(net.Parameters, 0);
        // d(mse)/d(outputs) from PyTorch's train() outputs: recovered here from its loss's definition,
        // with the train() outputs NetGen computes (checked against the loss above).
        int m = f.Targets.Length;
        double[] trainOutputs = BlockGradientTests.TrainingOutputs(net, f.Inputs, f.Batch, reseed: () => BlockGradientTests.Reseed(net, 0));
        double[] outputGradients = trainOutputs.Select((y, i) => 2 * (y - f.Targets[i]) / m).ToArray();
        BlockGradientTests.Reseed(net, 0);
        var inputGradients = new double[f.Inputs.Length];
        net.Backward(f.Inputs, outputGradients, inputGradients);
        Numbers.AssertClose("d(train loss)/d(inputs)", f.InputGradients, inputGradients, Tolerance.Double(f.InputGradients.Max(Math.Abs)));
        Numbers.AssertClose("parameter gradients through Backward", f.Gradients, net.Gradients, Tolerance.Double(f.Gradients.Max(Math.Abs)));
    }

    public static TheoryData<string> ShapedCases => new()
    {
        "conv2d_batchnorm2d", "conv1d_batchnorm1d_layernorm", "conv2d_batchnorm2d float",
        "layernorm_alone", "layernorm_alone float", "batchnorm1d_alone", "batchnorm1d_alone float",
        "residual_alone", "residual_alone float", "dropout_alone", "dropout_alone float",
    };

    /// <summary>
    /// BatchNorm2D after a 2-D convolution, BatchNorm1D and LayerNorm over (channels, length), and each block kind
    /// alone between two Linear layers (Dropout with NetGen's first mask): eval() outputs,
    /// one train() call's loss, parameter and input gradients and running statistics, eval() after it.
    /// </summary>
    [Theory]
    [MemberData(nameof(ShapedCases))]
    public void ShapedNormalisationsMatchPyTorch(string name)
    {
        using var logged = DifferenceLog.Case(name);
        Func<double, Tolerance> floatTolerance = scale => new Tolerance(2e-5 * Math.Max(1.0, scale), 2e-4);
        switch (name)
        {
            case "conv2d_batchnorm2d": Shaped<double>(new DConvBatchNorm2D(), name, Tolerance.Double); break;
            case "conv1d_batchnorm1d_layernorm": Shaped<double>(new DConvBatchNorm1D(), name, Tolerance.Double); break;
            case "conv2d_batchnorm2d float": Shaped<float>(new FConvBatchNorm2D(), "conv2d_batchnorm2d", floatTolerance); break;
            case "layernorm_alone": Shaped<double>(new DLayerNormAlone(), name, Tolerance.Double); break;
            case "layernorm_alone float": Shaped<float>(new FLayerNormAlone(), "layernorm_alone", floatTolerance); break;
            case "batchnorm1d_alone": Shaped<double>(new DBatchNorm1DAlone(), name, Tolerance.Double); break;
            case "batchnorm1d_alone float": Shaped<float>(new FBatchNorm1DAlone(), "batchnorm1d_alone", floatTolerance); break;
            case "residual_alone": Shaped<double>(new DResidualAlone(), name, Tolerance.Double); break;
            case "residual_alone float": Shaped<float>(new FResidualAlone(), "residual_alone", floatTolerance); break;
            case "dropout_alone": Shaped<double>(new DDropoutAlone(), name, Tolerance.Double); break;
            case "dropout_alone float": Shaped<float>(new FDropoutAlone(), "dropout_alone", floatTolerance); break;
            default: throw new ArgumentOutOfRangeException(nameof(name), name, "No such case.");
        }
    }

    private static void Shaped<T>(IRegressor<T> net, string name, Func<double, Tolerance> tolerance) where T : unmanaged
    {
        string path = Path.Combine(Path.GetDirectoryName(typeof(BlockReferenceTests).Assembly.Location)!, "fixtures", "pytorch", "blocks_shaped.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement.GetProperty(name);
        double[] Array(string property) => root.GetProperty(property).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        int batch = root.GetProperty("batch").GetInt32();
        double[] expectedGradients = Array("gradients"), expectedInputGradients = Array("input_gradients");
        Cast<T>(Array("parameters")).CopyTo(net.Parameters, 0);
        T[] inputs = Cast<T>(Array("inputs")), targets = Cast<T>(Array("targets"));

        var outputs = new T[targets.Length];
        net.Forward(inputs, outputs, batch);
        Numbers.AssertClose("eval() outputs", Array("eval_outputs_before"), Numbers.ToDouble<T>(outputs), tolerance(1));

        double loss = Numbers.Widen(net.BackwardFromTargets(inputs, targets));
        Numbers.AssertClose("train() loss", root.GetProperty("train_loss").GetDouble(), loss, tolerance(loss));
        Numbers.AssertClose("train() parameter gradients", expectedGradients, Numbers.ToDouble<T>(net.Gradients), tolerance(expectedGradients.Max(Math.Abs)));
        int channels = net.Buffers.Length / 2;
        Numbers.AssertClose("running_mean", Array("running_mean"), Numbers.ToDouble<T>(net.Buffers.AsSpan(0, channels).ToArray()), tolerance(1));
        Numbers.AssertClose("running_var", Array("running_var"), Numbers.ToDouble<T>(net.Buffers.AsSpan(channels, channels).ToArray()), tolerance(1));
        net.Forward(inputs, outputs, batch);
        Numbers.AssertClose("eval() outputs after the training call", Array("eval_outputs_after"), Numbers.ToDouble<T>(outputs), tolerance(1));

        if (typeof(T) == typeof(double))
        {
            // d(loss)/d(inputs) through Backward with the loss's output gradient, the training outputs recovered as before.
            var regressor = (IRegressor<double>)net;
            double[] x = Array("inputs"), t = Array("targets");
            // Reseeding keeps a dropout mask the first training call's (seed 0, as the fixture has it); the other kinds ignore it.
            double[] trainOutputs = BlockGradientTests.TrainingOutputs(regressor, x, batch, reseed: () => BlockGradientTests.Reseed(regressor, 0));
            double[] outputGradients = trainOutputs.Select((y, i) => 2 * (y - t[i]) / t.Length).ToArray();
            var inputGradients = new double[x.Length];
            BlockGradientTests.Reseed(regressor, 0);
            regressor.Backward(x, outputGradients, inputGradients);
            Numbers.AssertClose("d(train loss)/d(inputs)", expectedInputGradients, inputGradients, Tolerance.Double(expectedInputGradients.Max(Math.Abs)));
        }
    }
}
