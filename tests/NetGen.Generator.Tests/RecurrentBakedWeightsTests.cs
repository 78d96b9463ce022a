using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Baked weights of a sequence network: a PyTorch state_dict whose GRU module has num_layers = 2 (its
/// tensors named <c>weight_ih_l0</c> ... <c>bias_hh_l1</c>) and a Linear head, sorted by name as save_file
/// writes them, bakes into two consecutive [GRU] attributes and the [Linear], each tensor where it goes.
/// </summary>
public class RecurrentBakedWeightsTests
{
    private const string Declaration = """
        using NetGen;
        [Network(Weights = "amp.safetensors.b64")] [GRU(2, 3)] [GRU(3, 3)] [Linear(3, 1)] [MSELoss]
        public partial class Amp { }
        """;

    private static float[] Values(int count, float start) => Enumerable.Range(0, count).Select(i => start + (i / 64f)).ToArray();

    [Fact]
    public void A_stacked_gru_state_dict_bakes_into_consecutive_attributes()
    {
        // A head named before the GRU ("dense" < "rnn"), as save_file sorts it, and the layers' own order from _l0 < _l1.
        var file = new SafetensorsFiles()
            .F32("dense.bias", new long[] { 1 }, 0.5f)
            .F32("dense.weight", new long[] { 1, 3 }, Values(3, 0.25f))
            .F32("rnn.bias_hh_l0", new long[] { 9 }, Values(9, 1f))
            .F32("rnn.bias_hh_l1", new long[] { 9 }, Values(9, 2f))
            .F32("rnn.bias_ih_l0", new long[] { 9 }, Values(9, 3f))
            .F32("rnn.bias_ih_l1", new long[] { 9 }, Values(9, 4f))
            .F32("rnn.weight_hh_l0", new long[] { 9, 3 }, Values(27, 5f))
            .F32("rnn.weight_hh_l1", new long[] { 9, 3 }, Values(27, 6f))
            .F32("rnn.weight_ih_l0", new long[] { 9, 2 }, Values(18, 7f))
            .F32("rnn.weight_ih_l1", new long[] { 9, 3 }, Values(27, 8f));
        GeneratorHarness.Run run = GeneratorHarness.Generate(Declaration, file.AsAdditionalText("/src/App/amp.safetensors.b64"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        float[] expected = Values(18, 7f).Concat(Values(27, 5f)).Concat(Values(9, 3f)).Concat(Values(9, 1f))
            .Concat(Values(27, 8f)).Concat(Values(27, 6f)).Concat(Values(9, 4f)).Concat(Values(9, 2f))
            .Concat(Values(3, 0.25f)).Concat(new[] { 0.5f }).ToArray();
        float[] actual = BakedWeightsTests.Run<float>(run, "Amp", network => network.Parameters);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        string generated = Assert.Single(run.Sources).SourceText.ToString();
        Assert.Contains("\"rnn.weight_ih_l1\" [9, 3]", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void An_lstm_state_dict_does_not_fit_a_gru()
    {
        var file = new SafetensorsFiles()
            .F32("rnn.bias_hh_l0", new long[] { 12 }, Values(12, 1f))
            .F32("rnn.bias_ih_l0", new long[] { 12 }, Values(12, 2f))
            .F32("rnn.weight_hh_l0", new long[] { 12, 3 }, Values(36, 3f))
            .F32("rnn.weight_ih_l0", new long[] { 12, 2 }, Values(24, 4f));
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            [Network(Weights = "lstm.safetensors.b64")] [GRU(2, 3)]
            public partial class Wrong { }
            """, file.AsAdditionalText("/src/App/lstm.safetensors.b64"));
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0028", d.Id);
        Assert.Contains("weight_ih", d.GetMessage(), StringComparison.Ordinal);
    }
}
