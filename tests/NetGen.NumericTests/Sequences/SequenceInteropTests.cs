using System;
using System.IO;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests.Sequences;

/// <summary>
/// Sequence networks through the library's file formats: PyTorch state_dicts written as safetensors
/// (modules named, sorted by name as save_file writes them, a num_layers = 2 module loading into two
/// consecutive attributes), NetGen's own safetensors and parameter files both ways, and files that do
/// not fit refused with the parameters left as they were.
/// </summary>
public class SequenceInteropTests
{
    public static TheoryData<string> Cases => new(SequenceCatalog.Names);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "pytorch", "sequence_" + name + ".safetensors");

    [Theory, MemberData(nameof(Cases))]
    public void A_pytorch_state_dict_loads_in_the_layers_order(string name)
    {
        var reference = SequenceReference.Load(name);
        ISequenceNetwork<double> net = SequenceCatalog.Double(name).Net;
        net.LoadSafetensors(Fixture(name));
        // The file holds PyTorch's float64 values exactly; the JSON's decimal text of them parses to the
        // same bits on .NET, within an ulp on Mono (whose double.Parse is not correctly rounded), so the
        // comparison allows an ulp: a tensor loaded into the wrong place would be off by its whole value.
        Numbers.AssertClose("parameters", reference.Parameters, net.Parameters, new Tolerance(1e-15, 1e-15));

        ISequenceNetwork<float> single = SequenceCatalog.Float(name).Net;
        single.LoadSafetensors(Fixture(name));
        Numbers.AssertClose("parameters in float", reference.Parameters, Numbers.ToDouble<float>(single.Parameters), new Tolerance(1e-7, 1e-7));

        // And the loaded network computes PyTorch's outputs.
        var outputs = new double[reference.Outputs.Length];
        net.Forward(reference.Inputs, outputs, reference.Batch, reference.Steps);
        Numbers.AssertClose("outputs", reference.Outputs, outputs);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Saved_files_load_back(string name)
    {
        ISequenceNetwork<float> net = SequenceCatalog.Float(name).Net;
        var random = new Random(9);
        Numbers.To<float>(Numbers.Uniform(random, net.ParameterCount)).CopyTo(net.Parameters, 0);

        var safetensors = new MemoryStream();
        net.SaveSafetensors(safetensors);
        ISequenceNetwork<float> fromSafetensors = SequenceCatalog.Float(name).Net;
        safetensors.Position = 0;
        fromSafetensors.LoadSafetensors(safetensors);
        Numbers.AssertBitwiseEqual("through safetensors", net.Parameters, fromSafetensors.Parameters);

        var parameters = new MemoryStream();
        net.SaveParameters(parameters);
        ISequenceNetwork<float> fromParameters = SequenceCatalog.Float(name).Net;
        parameters.Position = 0;
        fromParameters.LoadParameters(parameters);
        Numbers.AssertBitwiseEqual("through a parameter file", net.Parameters, fromParameters.Parameters);
    }

    [Fact]
    public void A_file_that_does_not_fit_is_refused_and_changes_nothing()
    {
        // An LSTM's tensors (4 gates) into a GRU network of the same sizes (3 gates).
        var net = new SeqGruMseDouble();
        double[] before = (double[])net.Parameters.Clone();
        var error = Assert.Throws<InvalidDataException>(() => net.LoadSafetensors(Fixture("lstm_mse")));
        Assert.Contains("weight_ih", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.Parameters);

        // A stacked module's two layers into a network with one.
        Assert.Throws<InvalidDataException>(() => net.LoadSafetensors(Fixture("gru_stacked_ce")));
        Assert.Equal(before, net.Parameters);
    }

    [Fact]
    public void The_architecture_describes_the_recurrent_tensors()
    {
        NetworkArchitecture architecture = NetworkArchitecture.Parse(new SeqMixedCeFloat().Architecture);
        Assert.Equal(SeqMixedCeFloat.ParameterCount, architecture.ParameterCount);
        NetworkLayer gru = architecture.Layers[2];
        Assert.Equal("GRU", gru.Kind);
        Assert.Equal(new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" }, Array.ConvertAll(System.Linq.Enumerable.ToArray(gru.Tensors), t => t.Name));
        Assert.Equal("2.weight_ih_l0", gru.Tensors[0].StateDictName);
        Assert.Equal(new[] { 27, 6 }, gru.Tensors[0].Shape);
        Assert.Equal(new[] { 20, 9 }, architecture.Layers[3].Tensors[0].Shape);
    }
}
