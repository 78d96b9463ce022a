using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// One test per way a baked network's Weights can fail (NG0022 to NG0029): the id, that it is an error at
/// the Weights argument, that the message says which file and what did not fit, and that the class gets
/// no code while the other networks of the project still do.
/// </summary>
public class WeightsDiagnosticTests
{
    private const string Path = "/src/App/iris.safetensors.b64";

    /// <summary>An Iris-shaped network baked from <paramref name="weights"/>, beside a network without weights.</summary>
    private static string Declaration(string weights, string elementType = "")
        => $$"""
            using NetGen;
            [Network({{elementType}}Weights = {{weights}})] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
            public partial class Iris { }
            [Network] [Linear(2, 2)] public partial class Bystander { }
            """;

    /// <summary>Tensors that fit Iris, to break one at a time.</summary>
    private static SafetensorsFiles IrisFile(string prefix = "")
        => new SafetensorsFiles()
            .F32(prefix + "0.weight", new long[] { 16, 4 }, new float[64])
            .F32(prefix + "0.bias", new long[] { 16 }, new float[16])
            .F32(prefix + "2.weight", new long[] { 3, 16 }, new float[48])
            .F32(prefix + "2.bias", new long[] { 3 }, new float[3]);

    /// <summary>The run's one NG error: at the Weights argument, and no code for Iris while Bystander is generated.</summary>
    private static string Error(string id, string weights, params AdditionalText[] files)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(Declaration(weights), files);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.True(diagnostic.Location.IsInSource);
        Assert.Equal(weights, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Equal("Bystander.g.cs", Assert.Single(run.Sources).HintName);
        return diagnostic.GetMessage(CultureInfo.InvariantCulture);
    }

    private static InMemoryAdditionalText Base64Of(byte[] bytes, string path = Path) => new(path, SafetensorsFiles.Base64(bytes));

    [Theory]
    [InlineData("\"\"", "it is empty")]
    [InlineData("\"/home/me/iris.safetensors.b64\"", "absolute path")]
    [InlineData("\"C:\\\\models\\\\iris.safetensors.b64\"", "absolute path")]
    [InlineData("\"models//iris.safetensors.b64\"", "empty folder name")]
    [InlineData("\"../iris.safetensors.b64\"", "'..' segment")]
    [InlineData("\"iris\\n.b64\"", "the control character U+000A")]
    public void NG0022_APathThatCannotEndAFilesPath(string weights, string reason)
    {
        string message = Error("NG0022", weights);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains("e.g. Weights = \"iris.safetensors.b64\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0023_NoAdditionalFilesAtAll()
    {
        string message = Error("NG0023", "\"iris.safetensors.b64\"");
        Assert.Equal(
            "No AdditionalFiles item's path ends with \"iris.safetensors.b64\", the Weights of network 'Iris': add it to the project as <AdditionalFiles Include=\"iris.safetensors.b64\" />; the project has no AdditionalFiles items at all",
            message);
    }

    [Fact]
    public void NG0023_TheFileIsInAnotherFolder()
    {
        string message = Error("NG0023", "\"models/iris.safetensors.b64\"", IrisFile().AsAdditionalText("/src/App/weights/iris.safetensors.b64"));
        Assert.Contains("the items named 'iris.safetensors.b64' are '/src/App/weights/iris.safetensors.b64'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0023_TheRawFilesNameWasWritten()
    {
        string message = Error("NG0023", "\"iris.safetensors\"", IrisFile().AsAdditionalText(Path));
        Assert.Contains($"'{Path}' is one: write Weights = \"iris.safetensors.b64\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0023_ASuffixThatIsNotWholeNamesDoesNotMatch()
    {
        Error("NG0023", "\"ris.safetensors.b64\"", IrisFile().AsAdditionalText(Path));
    }

    [Fact]
    public void NG0024_TwoItemsEndWithThePath()
    {
        string message = Error("NG0024", "\"iris.safetensors.b64\"",
            IrisFile().AsAdditionalText("/src/App/b/iris.safetensors.b64"), IrisFile().AsAdditionalText("/src/App/a/IRIS.safetensors.b64"));
        Assert.Equal(
            "Weights = \"iris.safetensors.b64\" of network 'Iris' matches 2 AdditionalFiles items ('/src/App/a/IRIS.safetensors.b64', '/src/App/b/iris.safetensors.b64'): write more of the path, enough that it ends only one of them",
            message);
    }

    [Fact]
    public void NG0024_ResolvedByWritingMoreOfThePath()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(Declaration("\"b/iris.safetensors.b64\""),
            IrisFile().AsAdditionalText("/src/App/b/iris.safetensors.b64"), IrisFile().AsAdditionalText("/src/App/a/iris.safetensors.b64"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(2, run.Sources.Length);
    }

    [Fact]
    public void NG0025_TheCompilerGaveNoText()
    {
        // What the compiler hands a generator for a binary AdditionalFiles item, beside its own CS2015.
        string message = Error("NG0025", "\"iris.safetensors\"", new InMemoryAdditionalText("/src/App/iris.safetensors", null));
        Assert.Contains("'/src/App/iris.safetensors', the Weights of network 'Iris'", message, StringComparison.Ordinal);
        Assert.Contains("'base64 -w0 iris.safetensors > iris.safetensors.b64'", message, StringComparison.Ordinal);
        Assert.Contains("<AdditionalFiles Include=\"iris.safetensors.b64\" />", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AAAA\nAA!A\n", "line 2, column 3 has '!', which is not a base64 digit")]
    [InlineData("AAAA\u00C8AAA", "line 1, column 5 has the character U+00C8")]
    [InlineData("AA=A", "line 1, column 4 has a base64 digit after the '=' padding")]
    [InlineData("A===", "line 1, column 2 has a '=' where a base64 digit must stand")]
    [InlineData("AAAAAA", "it ends after 6 base64 characters, which is not a whole number of groups of four")]
    [InlineData(" \n\t", "the file is empty")]
    [InlineData("\u00C8\0\0\0", "line 1, column 1 has the character U+00C8")]
    [InlineData("AAAA\0\0\0\0", "a NUL character, as a binary file has (the safetensors file itself?) rather than its base64 text")]
    public void NG0026_NotBase64(string text, string reason)
    {
        string message = Error("NG0026", "\"iris.safetensors.b64\"", new InMemoryAdditionalText(Path, text));
        Assert.StartsWith($"'{Path}', the Weights of network 'Iris', is not base64 text: ", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0027_AHeaderThatIsNotJson()
    {
        byte[] header = Encoding.UTF8.GetBytes("{\"0.weight\": oops}");
        byte[] file = new byte[8 + header.Length];
        BitConverter.GetBytes((ulong)header.Length).CopyTo(file, 0);
        header.CopyTo(file, 8);
        string message = Error("NG0027", "\"iris.safetensors.b64\"", Base64Of(file));
        Assert.Contains("decodes from base64 to something that is not a valid safetensors file: the header is not valid JSON", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0027_AHeaderLengthLongerThanTheFile()
    {
        string message = Error("NG0027", "\"iris.safetensors.b64\"", Base64Of(new byte[] { 0xFF, 0, 0, 0, 0, 0, 0, 0, (byte)'{' }));
        Assert.EndsWith("the header length 255 is longer than the file, which has only 1 bytes after the length", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0027_AnUnsupportedDType()
    {
        SafetensorsFiles file = IrisFile().Add("extra.weight", "I64", new long[] { 1 }, new byte[8]);
        string message = Error("NG0027", "\"iris.safetensors.b64\"", file.AsAdditionalText(Path));
        Assert.EndsWith("tensor \"extra.weight\" has dtype \"I64\", a dtype NetGen does not read; weights must be F32, F64, F16 or BF16", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0027_ATruncatedFile()
    {
        byte[] whole = IrisFile().ToBytes();
        string message = Error("NG0027", "\"iris.safetensors.b64\"", Base64Of(whole.Take(whole.Length - 4).ToArray()));
        Assert.Contains("the file is truncated: tensor \"2.bias\" has data_offsets [512, 524], but the data section has only 520 bytes", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0028_AWrongShape()
    {
        SafetensorsFiles file = new SafetensorsFiles()
            .F32("0.weight", new long[] { 16, 4 }, new float[64]).F32("0.bias", new long[] { 16 }, new float[16])
            .F32("2.weight", new long[] { 16, 3 }, new float[48]).F32("2.bias", new long[] { 3 }, new float[3]);
        string message = Error("NG0028", "\"iris.safetensors.b64\"", file.AsAdditionalText(Path));
        Assert.Equal(
            $"'{Path}', the Weights of network 'Iris', does not fit its declaration: tensor \"2.weight\" has shape [16, 3], but it falls to Linear layer 2, Linear(16,3), whose weight is [3, 16] ([outputs, inputs], the layout of nn.Linear.weight). It is transposed: PyTorch and NetGen store a Linear weight as [outputs, inputs]",
            message);
    }

    [Fact]
    public void NG0028_AnExtraLayer()
    {
        SafetensorsFiles file = IrisFile().F32("4.weight", new long[] { 3, 3 }, new float[9]).F32("4.bias", new long[] { 3 }, new float[3]);
        string message = Error("NG0028", "\"iris.safetensors.b64\"", file.AsAdditionalText(Path));
        Assert.Contains("the file holds the tensors of 3 layers (\"0.weight\", \"2.weight\", \"4.weight\"), but the network has 2 Linear layers; \"4.weight\" and the tensors after it are extra", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0028_AMissingLayer()
    {
        SafetensorsFiles file = new SafetensorsFiles().F32("0.weight", new long[] { 16, 4 }, new float[64]).F32("0.bias", new long[] { 16 }, new float[16]);
        string message = Error("NG0028", "\"iris.safetensors.b64\"", file.AsAdditionalText(Path));
        Assert.Contains("the tensors of Linear layer 2, Linear(16,3), are missing: a weight [3, 16] and a bias [3]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0028_ABiasWithoutItsWeight()
    {
        // A weight without a bias is nn.Linear(..., bias=False), baked with a zero bias (BakedWeightsTests); a bias alone is not a layer.
        SafetensorsFiles file = new SafetensorsFiles()
            .F32("0.weight", new long[] { 16, 4 }, new float[64]).F32("0.bias", new long[] { 16 }, new float[16]).F32("2.bias", new long[] { 3 }, new float[3]);
        string message = Error("NG0028", "\"iris.safetensors.b64\"", file.AsAdditionalText(Path));
        Assert.Contains("tensor \"2.weight\" is missing: the file has \"2.bias\" but no weight beside it", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iris.pt", "a zip archive")]
    [InlineData("iris.legacy.pt", "a Python pickle (protocol 2)")]
    public void NG0027_AFileFromTorchSave(string fixture, string what)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(RepositoryFiles.PathOf("tests/fixtures/pytorch/" + fixture));
        string message = Error("NG0027", "\"iris.safetensors.b64\"", Base64Of(bytes));
        Assert.Contains("the data is " + what, message, StringComparison.Ordinal);
        Assert.Contains("which is what torch.save writes (a .pt or .pth file)", message, StringComparison.Ordinal);
        Assert.Contains("save_file(model.state_dict(), \"model.safetensors\")", message, StringComparison.Ordinal);
    }

    /// <summary>The embed, mlp, ff, out model of make_fixtures.py (mlp and ff both Linear(16, 16)), baked with the given extra arguments.</summary>
    private static GeneratorHarness.Run BakeNamedAmbiguous(string extra)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(RepositoryFiles.PathOf("tests/fixtures/pytorch/named_ambiguous.safetensors"));
        string source = $$"""
            using NetGen;
            [Network(Weights = "named.safetensors.b64"{{extra}})] [Linear(4, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 3)]
            public partial class Named { }
            [Network] [Linear(2, 2)] public partial class Bystander { }
            """;
        return GeneratorHarness.Generate(source, Base64Of(bytes, "/src/named.safetensors.b64"));
    }

    private static string ErrorAt(GeneratorHarness.Run run, string id, string at)
    {
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(at, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Equal("Bystander.g.cs", Assert.Single(run.Sources).HintName);
        return diagnostic.GetMessage(CultureInfo.InvariantCulture);
    }

    [Fact]
    public void NG0040_ModulesThatTheShapesFitInMoreThanOneOrder()
    {
        string message = ErrorAt(BakeNamedAmbiguous(""), "NG0040", "\"named.safetensors.b64\"");
        Assert.StartsWith("'/src/named.safetensors.b64', the Weights of network 'Named': the file's names do not say in which order its modules run", message, StringComparison.Ordinal);
        Assert.Contains("Linear layers 2 and 3 (each Linear(16,16)) could take modules \"ff\" or \"mlp\" in either order", message, StringComparison.Ordinal);
        Assert.Contains("[Network(..., Weights = \"named.safetensors.b64\", WeightsModuleNames = new[] { \"embed\", \"ff\", \"mlp\", \"out\" })], with \"ff\" and \"mlp\" in their true order", message, StringComparison.Ordinal);
        Assert.Contains("LoadOnnxWeights", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0041_ModuleNamesWithoutWeights()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            [Network(WeightsModuleNames = new[] { "a", "b" })] [Linear(4, 16)] [ReLU] [Linear(16, 3)]
            public partial class Named { }
            [Network] [Linear(2, 2)] public partial class Bystander { }
            """);
        string message = ErrorAt(run, "NG0041", "new[] { \"a\", \"b\" }");
        Assert.Contains("this [Network] has no Weights", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("new[] { \"embed\", \"mlp\", \"out\" }", "it has 3 names, but the network has 4 layers with parameters")]
    [InlineData("new[] { \"embed\", \"mlp\", \"mlp\", \"out\" }", "it names \"mlp\" twice (for layers 2 and 3 with parameters)")]
    [InlineData("new[] { \"embed\", \"\", \"ff\", \"out\" }", "name 2 is empty")]
    public void NG0042_ModuleNamesThatCannotFitTheDeclaration(string names, string reason)
    {
        string message = ErrorAt(BakeNamedAmbiguous(", WeightsModuleNames = " + names), "NG0042", names);
        Assert.EndsWith(reason, message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0043_AModuleNameTheFileDoesNotHave()
    {
        const string names = "new[] { \"embed\", \"mlpp\", \"ff\", \"out\" }";
        string message = ErrorAt(BakeNamedAmbiguous(", WeightsModuleNames = " + names), "NG0043", names);
        Assert.Equal("'/src/named.safetensors.b64', the Weights of network 'Named': module name \"mlpp\" (for Linear layer 2, Linear(16,16)) names no one module of the file: " +
            "no module of the file is named so; the file's modules are \"embed\", \"ff\", \"mlp\", \"out\"", message);
    }

    [Fact]
    public void NG0028_ATensorThatIsNeitherWeightNorBias()
    {
        SafetensorsFiles file = IrisFile().F32("1.running_mean", new long[] { 16 }, new float[16]);
        string message = Error("NG0028", "\"iris.safetensors.b64\"", file.AsAdditionalText(Path));
        Assert.Contains("tensor \"1.running_mean\" is neither a weight nor a bias", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0029_ANaN()
    {
        var weights = new float[64];
        weights[4 * 3 + 1] = float.NaN;
        SafetensorsFiles file = new SafetensorsFiles()
            .F32("0.weight", new long[] { 16, 4 }, weights).F32("0.bias", new long[] { 16 }, new float[16])
            .F32("2.weight", new long[] { 3, 16 }, new float[48]).F32("2.bias", new long[] { 3 }, new float[3]);
        string message = Error("NG0029", "\"iris.safetensors.b64\"", file.AsAdditionalText(Path));
        Assert.StartsWith($"'{Path}', the Weights of network 'Iris': tensor \"0.weight\" element [3, 1] is NaN; baked weights must be finite", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NG0029_AnF64TooLargeForAFloatNetwork()
    {
        SafetensorsFiles file = new SafetensorsFiles()
            .F32("0.weight", new long[] { 16, 4 }, new float[64]).F32("0.bias", new long[] { 16 }, new float[16])
            .F32("2.weight", new long[] { 3, 16 }, new float[48]).F64("2.bias", new long[] { 3 }, 0, 1e300, 0);
        string message = Error("NG0029", "\"iris.safetensors.b64\"", file.AsAdditionalText(Path));
        Assert.Contains("tensor \"2.bias\" element [1] is 1E+300, which overflows float", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameF64FileBakesIntoADoubleNetwork()
    {
        SafetensorsFiles file = new SafetensorsFiles()
            .F32("0.weight", new long[] { 16, 4 }, new float[64]).F32("0.bias", new long[] { 16 }, new float[16])
            .F32("2.weight", new long[] { 3, 16 }, new float[48]).F64("2.bias", new long[] { 3 }, 0, 1e300, 0);
        GeneratorHarness.Run run = GeneratorHarness.Generate(Declaration("\"iris.safetensors.b64\"", "typeof(double), "), file.AsAdditionalText(Path));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(2, run.Sources.Length);
    }

    [Fact]
    public void AnyPrefixAndModuleIndicesComparedAsNumbersFit()
    {
        // Modules 2 and 10 of a Sequential held in "model.net": 10 comes after 2, as a number.
        SafetensorsFiles file = new SafetensorsFiles()
            .F32("model.net.10.weight", new long[] { 3, 16 }, new float[48]).F32("model.net.10.bias", new long[] { 3 }, new float[3])
            .F32("model.net.2.weight", new long[] { 16, 4 }, new float[64]).F32("model.net.2.bias", new long[] { 16 }, new float[16]);
        GeneratorHarness.Run run = GeneratorHarness.Generate(Declaration("\"iris.safetensors.b64\""), file.AsAdditionalText(Path));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("\"model.net.10.weight\" [3, 16]", run.Sources.Single(s => s.HintName == "Iris.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnErrorInTheDeclarationComesFirstAndNoFileIsRead()
    {
        var file = new InMemoryAdditionalText(Path, IrisFile().ToBase64());
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network(Weights = \"iris.safetensors.b64\")] [Linear(4, 16)] [Linear(4, 3)] public partial class Iris { }", file);
        Assert.Equal("NG0007", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Equal(0, file.Reads);
    }

    [Fact]
    public void TheLocationIsTheWeightsArgumentsValue()
    {
        // A source location, so that the editor underlines the path itself: line 1 (from 0), characters 19 to 41.
        GeneratorHarness.Run run = GeneratorHarness.Generate(Declaration("\"iris.safetensors.b64\""));
        Assert.Equal(new FileLinePositionSpan("Networks.cs", new(1, 19), new(1, 41)), Assert.Single(run.GeneratorDiagnostics).Location.GetLineSpan());
    }
}
