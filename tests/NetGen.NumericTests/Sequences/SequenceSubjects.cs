using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NetGen.NumericTests.Sequences;

/// <summary>
/// A sequence network under test, through ISequenceNetwork and its loss's members (which the interface
/// does not carry: MSELoss takes targets, CrossEntropyLoss labels), so that one test serves every case.
/// </summary>
public sealed class SequenceSubject<T> where T : unmanaged
{
    public delegate T LossOf(T[] inputs, T[]? targets, int[]? labels, int steps);

    public delegate T TrainOf(T[] inputs, T[]? targets, int[]? labels, int steps, T learningRate);

    public SequenceSubject(ISequenceNetwork<T> net, LossOf loss, TrainOf trainStep)
    {
        Net = net;
        Loss = loss;
        TrainStep = trainStep;
    }

    public ISequenceNetwork<T> Net { get; }

    public LossOf Loss { get; }

    public TrainOf TrainStep { get; }
}

/// <summary>The sequence networks of SequenceNetworks.cs by fixture name, in float and in double.</summary>
public static class SequenceCatalog
{
    public static readonly string[] Names = ["gru_mse", "gru_stacked_ce", "lstm_mse", "lstm_stacked_tanh", "gru_wide", "mixed_ce", "gru_lanes", "lstm_lanes", "lanes_odd_inputs"];

    public static IEnumerable<object[]> Cases => Names.Select(n => new object[] { n });

    public static SequenceSubject<float> Float(string name) => name switch
    {
        "gru_mse" => Regressor<SeqGruMseFloat, float>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "gru_stacked_ce" => Classifier<SeqGruStackedCeFloat, float>(new(), (n, i, l, s) => n.Loss(i, l, s), (n, i, l, s, r) => n.TrainStep(i, l, s, r)),
        "lstm_mse" => Regressor<SeqLstmMseFloat, float>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "lstm_stacked_tanh" => Regressor<SeqLstmStackedTanhFloat, float>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "gru_wide" => Regressor<SeqGruWideFloat, float>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "mixed_ce" => Classifier<SeqMixedCeFloat, float>(new(), (n, i, l, s) => n.Loss(i, l, s), (n, i, l, s, r) => n.TrainStep(i, l, s, r)),
        "gru_lanes" => Regressor<SeqGruLanesFloat, float>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "lstm_lanes" => Classifier<SeqLstmLanesFloat, float>(new(), (n, i, l, s) => n.Loss(i, l, s), (n, i, l, s, r) => n.TrainStep(i, l, s, r)),
        "lanes_odd_inputs" => Regressor<SeqLanesOddInputsFloat, float>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such sequence case."),
    };

    public static SequenceSubject<double> Double(string name) => name switch
    {
        "gru_mse" => Regressor<SeqGruMseDouble, double>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "gru_stacked_ce" => Classifier<SeqGruStackedCeDouble, double>(new(), (n, i, l, s) => n.Loss(i, l, s), (n, i, l, s, r) => n.TrainStep(i, l, s, r)),
        "lstm_mse" => Regressor<SeqLstmMseDouble, double>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "lstm_stacked_tanh" => Regressor<SeqLstmStackedTanhDouble, double>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "gru_wide" => Regressor<SeqGruWideDouble, double>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "mixed_ce" => Classifier<SeqMixedCeDouble, double>(new(), (n, i, l, s) => n.Loss(i, l, s), (n, i, l, s, r) => n.TrainStep(i, l, s, r)),
        "gru_lanes" => Regressor<SeqGruLanesDouble, double>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        "lstm_lanes" => Classifier<SeqLstmLanesDouble, double>(new(), (n, i, l, s) => n.Loss(i, l, s), (n, i, l, s, r) => n.TrainStep(i, l, s, r)),
        "lanes_odd_inputs" => Regressor<SeqLanesOddInputsDouble, double>(new(), (n, i, t, s) => n.Loss(i, t, s), (n, i, t, s, r) => n.TrainStep(i, t, s, r)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such sequence case."),
    };

    private static SequenceSubject<T> Regressor<TNet, T>(TNet net, Func<TNet, T[], T[], int, T> loss, Func<TNet, T[], T[], int, T, T> train)
        where TNet : ISequenceNetwork<T>
        where T : unmanaged
        => new(net, (i, t, l, s) => loss(net, i, t!, s), (i, t, l, s, r) => train(net, i, t!, s, r));

    private static SequenceSubject<T> Classifier<TNet, T>(TNet net, Func<TNet, T[], int[], int, T> loss, Func<TNet, T[], int[], int, T, T> train)
        where TNet : ISequenceNetwork<T>
        where T : unmanaged
        => new(net, (i, t, l, s) => loss(net, i, l!, s), (i, t, l, s, r) => train(net, i, l!, s, r));
}

/// <summary>One case of tests/fixtures/pytorch/make_sequence_reference.py.</summary>
public sealed class SequenceReference
{
    public required string Name { get; init; }
    public required string[] Architecture { get; init; }
    public required int Batch { get; init; }
    public required int Steps { get; init; }
    public required double[] Parameters { get; init; }
    public required double[] Inputs { get; init; }
    public required double[] Outputs { get; init; }
    public required double[] Upstream { get; init; }
    public required double[] UpstreamParameterGradients { get; init; }
    public required double[] UpstreamInputGradients { get; init; }
    public double[]? Targets { get; init; }
    public int[]? Labels { get; init; }
    public required double Loss { get; init; }
    public required double[] LossParameterGradients { get; init; }
    public required double LearningRate { get; init; }
    public required double[] ParametersAfterSgd { get; init; }

    public static SequenceReference Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "pytorch", "sequence_" + name + ".json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        double[] Doubles(string key) => root.GetProperty(key).EnumerateArray().Select(v => v.GetDouble()).ToArray();
        return new SequenceReference
        {
            Name = root.GetProperty("name").GetString()!,
            Architecture = root.GetProperty("architecture").EnumerateArray().Select(v => v.GetString()!).ToArray(),
            Batch = root.GetProperty("batch").GetInt32(),
            Steps = root.GetProperty("steps").GetInt32(),
            Parameters = Doubles("parameters"),
            Inputs = Doubles("inputs"),
            Outputs = Doubles("outputs"),
            Upstream = Doubles("upstream"),
            UpstreamParameterGradients = Doubles("upstream_parameter_gradients"),
            UpstreamInputGradients = Doubles("upstream_input_gradients"),
            Targets = root.TryGetProperty("targets", out JsonElement targets) ? targets.EnumerateArray().Select(v => v.GetDouble()).ToArray() : null,
            Labels = root.TryGetProperty("labels", out JsonElement labels) ? labels.EnumerateArray().Select(v => v.GetInt32()).ToArray() : null,
            Loss = root.GetProperty("loss").GetDouble(),
            LossParameterGradients = Doubles("loss_parameter_gradients"),
            LearningRate = root.GetProperty("learning_rate").GetDouble(),
            ParametersAfterSgd = Doubles("parameters_after_sgd"),
        };
    }
}
