using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.UnityCheck;

/// <summary>
/// Checks a Unity package written by unity/pack.sh without Unity: its manifest, its .meta files (labels,
/// platforms, GUIDs unique, and the same in a second run of the script), that the library it ships needs
/// nothing Unity lacks, and that its sample compiles the way Unity compiles scripts (Roslyn 4.3.1, C# 9,
/// the netstandard2.1 reference assemblies, the package's DLLs, the packaged generator run on it), then
/// runs that sample's MonoBehaviour for a few thousand frames. Also bakes weights from a file named as
/// Unity passes additional files to a generator. Prints one line per check; exits 1 if any failed.
/// </summary>
public static class Program
{
    private static int s_failures;

    public static int Main(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: NetGen.UnityCheck <package folder> <second run's folder> <Directory.Build.props>");
            return 2;
        }
        string package = Path.GetFullPath(args[0]), second = Path.GetFullPath(args[1]);
        string version = Regex.Match(File.ReadAllText(args[2]), "<Version>([^<]+)</Version>").Groups[1].Value;

        CheckManifest(package, version);
        CheckLayout(package);
        CheckMetas(package);
        CheckSameAsSecondRun(package, second);
        CheckLibraryDependencies(package);
        CheckAssemblyDefinition(package);
        CheckSampleCompilesAndRuns(package);
        CheckBakedWeightsFromUnityAdditionalFile(package);

        Console.WriteLine(s_failures == 0 ? "Unity package: all checks passed" : $"Unity package: {s_failures} check(s) FAILED");
        return s_failures == 0 ? 0 : 1;
    }

    private static void Check(bool ok, string what)
    {
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
        if (!ok) s_failures++;
    }

    // ---- package.json ----

    private static void CheckManifest(string package, string version)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(package, "package.json")));
        JsonElement root = manifest.RootElement;
        string Text(string name) => root.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "";

        string name = Text("name");
        Check(Regex.IsMatch(name, "^com(\\.[a-z0-9][a-z0-9-]*){2,}$") && name.Length <= 214, $"package.json name is reverse-domain, lower case: {name}");
        Check(Text("version") == version && version.Length > 0, $"package.json version {Text("version")} is Directory.Build.props' {version}");
        Check(Text("displayName").Length > 0, $"package.json displayName: {Text("displayName")}");
        Check(Text("description").Length > 0, "package.json has a description");
        // Unity 2022.3.12 is the first 2022.3 whose compiler runs Roslyn 4.3 generators (README's Unity section).
        Check(Text("unity") == "2022.3" && Text("unityRelease") == "12f1", $"package.json lowest Unity: {Text("unity")}.{Text("unityRelease")}");
        bool samplesOk = root.TryGetProperty("samples", out JsonElement samples) && samples.GetArrayLength() > 0
            && samples.EnumerateArray().All(s => s.TryGetProperty("path", out JsonElement p) && Directory.Exists(Path.Combine(package, p.GetString()!))
                && p.GetString()!.StartsWith("Samples~/", StringComparison.Ordinal));
        Check(samplesOk, "package.json's samples name folders under Samples~ that exist");
    }

    private static void CheckLayout(string package)
    {
        foreach (string file in new[]
        {
            "README.md", "CHANGELOG.md", "LICENSE.md", "Documentation~/NetGen.md",
            "Runtime/NetGen.dll", "Runtime/NetGen.xml", "Runtime/System.Runtime.CompilerServices.Unsafe.dll",
            "Runtime/Generator/NetGen.Generator.dll", "Runtime/NetGen.Unity.asmdef", "Runtime/NetGenPackage.cs",
            "Samples~/SteeringAgent/SteeringAgent.cs",
        })
        {
            Check(File.Exists(Path.Combine(package, file)), $"the package has {file}");
        }
        string netgen = Path.Combine(package, "Runtime/NetGen.dll");
        if (File.Exists(netgen))
        {
            using var reader = new PEReader(File.OpenRead(netgen));
            MetadataReader metadata = reader.GetMetadataReader();
            string framework = metadata.GetAssemblyDefinition().GetCustomAttributes()
                .Select(h => metadata.GetCustomAttribute(h))
                .Where(a => AttributeName(metadata, a) == "System.Runtime.Versioning.TargetFrameworkAttribute")
                .Select(a => Encoding.UTF8.GetString(metadata.GetBlobBytes(a.Value)))
                .FirstOrDefault() ?? "";
            Check(framework.Contains(".NETStandard,Version=v2.1"), "Runtime/NetGen.dll is the netstandard2.1 build");
        }
    }

    // ---- .meta files ----

    private static readonly Regex s_guid = new("^guid: ([0-9a-f]{32})$", RegexOptions.Multiline);

    /// <summary>Every file and folder Unity imports: all but the .meta files and what lies in folders ending in "~".</summary>
    private static List<string> Imported(string package)
    {
        return Directory.EnumerateFileSystemEntries(package, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(package, p).Replace('\\', '/'))
            .Where(p => !p.EndsWith(".meta", StringComparison.Ordinal) && !p.Split('/').Any(s => s.EndsWith('~')))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
    }

    private static void CheckMetas(string package)
    {
        var guids = new Dictionary<string, string>();
        bool allHaveMeta = true, allGuidsWellFormed = true;
        foreach (string path in Imported(package))
        {
            string meta = Path.Combine(package, path + ".meta");
            if (!File.Exists(meta))
            {
                allHaveMeta = false;
                Console.WriteLine($"     no .meta for {path}");
                continue;
            }
            Match match = s_guid.Match(File.ReadAllText(meta));
            if (!match.Success)
            {
                allGuidsWellFormed = false;
                Console.WriteLine($"     {path}.meta has no 32-hex-digit guid");
                continue;
            }
            if (guids.TryGetValue(match.Groups[1].Value, out string? other)) Console.WriteLine($"     {path} and {other} share a GUID");
            guids[match.Groups[1].Value] = path;
        }
        Check(allHaveMeta, "every file and folder Unity imports has a .meta");
        Check(allGuidsWellFormed, "every .meta has a GUID of 32 hex digits");
        Check(guids.Count == Imported(package).Count, $"the {guids.Count} GUIDs are unique");
        bool noOrphans = Directory.EnumerateFiles(package, "*.meta", SearchOption.AllDirectories)
            .All(m => File.Exists(m[..^5]) || Directory.Exists(m[..^5]));
        Check(noOrphans, "no .meta without its file");

        string generatorMeta = File.ReadAllText(Path.Combine(package, "Runtime/Generator/NetGen.Generator.dll.meta"));
        Check(Regex.IsMatch(generatorMeta, "^labels:\\r?\\n- RoslynAnalyzer$", RegexOptions.Multiline), "the generator's .meta carries the RoslynAnalyzer label");
        var enabled = Regex.Matches(generatorMeta, "^ +enabled: (\\d)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Check(enabled.Count > 0 && enabled.All(e => e == "0") && generatorMeta.Contains("Exclude Editor: 1"),
            $"the generator is enabled on no platform ({enabled.Count} platform entries, all disabled, the Editor excluded)");
        foreach (string library in new[] { "Runtime/NetGen.dll", "Runtime/System.Runtime.CompilerServices.Unsafe.dll" })
        {
            string meta = File.ReadAllText(Path.Combine(package, library + ".meta"));
            bool anyEnabled = Regex.IsMatch(meta, "^      Any: \\r?\\n    second:\\r?\\n      enabled: 1$", RegexOptions.Multiline);
            Check(anyEnabled && !meta.Contains("RoslynAnalyzer") && meta.Contains("isExplicitlyReferenced: 0"),
                $"{library} is a plugin for any platform, auto-referenced, not an analyzer");
        }
    }

    private static void CheckSameAsSecondRun(string package, string second)
    {
        List<string> first = Imported(package), again = Imported(second);
        bool sameFiles = first.SequenceEqual(again);
        bool sameMetas = sameFiles && first.All(p => File.ReadAllText(Path.Combine(package, p + ".meta")) == File.ReadAllText(Path.Combine(second, p + ".meta")));
        Check(sameFiles && sameMetas, $"a second run of pack.sh writes the same files and the same .meta files (GUIDs stable, {first.Count} entries)");
    }

    // ---- the library's references ----

    private static void CheckLibraryDependencies(string package)
    {
        string runtime = Path.Combine(package, "Runtime");
        var shipped = Directory.GetFiles(runtime, "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        using var reader = new PEReader(File.OpenRead(Path.Combine(runtime, "NetGen.dll")));
        MetadataReader metadata = reader.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
        var missing = references.Where(r => r != "netstandard" && !shipped.Contains(r)).ToList();
        Check(missing.Count == 0, $"NetGen.dll references netstandard and what the package ships ({string.Join(", ", references)}){(missing.Count > 0 ? "; missing: " + string.Join(", ", missing) : "")}");
    }

    private static void CheckAssemblyDefinition(string package)
    {
        using JsonDocument asmdef = JsonDocument.Parse(File.ReadAllText(Path.Combine(package, "Runtime/NetGen.Unity.asmdef")));
        JsonElement root = asmdef.RootElement;
        bool autoReferenced = root.GetProperty("autoReferenced").GetBoolean();
        var precompiled = root.GetProperty("precompiledReferences").EnumerateArray().Select(e => e.GetString()).ToList();
        Check(root.GetProperty("name").GetString() == "NetGen.Unity" && autoReferenced && precompiled.Contains("NetGen.dll"),
            "Runtime/NetGen.Unity.asmdef: named NetGen.Unity, auto-referenced (Assembly-CSharp gets the generator), references NetGen.dll");
        // The generator is scoped by the folder it sits in: it must be at or under the asmdef's folder.
        Check(File.Exists(Path.Combine(package, "Runtime/Generator/NetGen.Generator.dll")), "the generator sits under the assembly definition's folder, so it applies to the assemblies that reference NetGen.Unity");
    }

    // ---- compiling as Unity does ----

    /// <summary>The little of UnityEngine the sample uses, compiled to stand in for UnityEngine.dll.</summary>
    private const string UnityEngineStub = """
        namespace UnityEngine
        {
            public class Object { }
            public class Component : Object { }
            public class Behaviour : Component { }
            public class MonoBehaviour : Behaviour { }
            [System.AttributeUsage(System.AttributeTargets.Field)]
            public sealed class TooltipAttribute : System.Attribute { public TooltipAttribute(string tooltip) { } }
        }
        """;

    private static IEnumerable<MetadataReference> NetStandardReferences()
    {
        string folder = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NetStandardReferences").Value!;
        return Directory.GetFiles(folder, "*.dll").Select(f => MetadataReference.CreateFromFile(f));
    }

    /// <summary>Compiles the sources as Unity compiles scripts, with the packaged generator; returns the assembly's bytes, or null.</summary>
    private static byte[]? CompileAsUnity(string package, string name, IEnumerable<(string Path, string Text)> sources, IEnumerable<AdditionalText> additionalFiles, byte[]? unityEngine, out string generated)
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp9);
        var references = NetStandardReferences().ToList();
        references.Add(MetadataReference.CreateFromFile(Path.Combine(package, "Runtime/NetGen.dll")));
        references.Add(MetadataReference.CreateFromFile(Path.Combine(package, "Runtime/System.Runtime.CompilerServices.Unsafe.dll")));
        if (unityEngine != null) references.Add(MetadataReference.CreateFromImage(unityEngine));
        var compilation = CSharpCompilation.Create(name,
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Disable));

        // The packaged generator, loaded as Unity's compiler loads an analyzer DLL.
        Assembly generatorAssembly = Assembly.LoadFrom(Path.Combine(package, "Runtime/Generator/NetGen.Generator.dll"));
        var generators = generatorAssembly.GetTypes()
            .Where(t => t.GetCustomAttributes<GeneratorAttribute>().Any() && typeof(IIncrementalGenerator).IsAssignableFrom(t))
            .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator())
            .ToList();
        GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, additionalFiles, parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        generated = string.Join(", ", run.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)));

        using var image = new MemoryStream();
        var result = output.Emit(image);
        var problems = generatorDiagnostics.Concat(result.Diagnostics).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        foreach (Diagnostic d in problems) Console.WriteLine($"     {d}");
        return result.Success && problems.Count == 0 && run.GeneratedTrees.Length > 0 ? image.ToArray() : null;
    }

    private static byte[] CompileUnityEngineStub()
    {
        var compilation = CSharpCompilation.Create("UnityEngine",
            new[] { CSharpSyntaxTree.ParseText(UnityEngineStub, new CSharpParseOptions(LanguageVersion.CSharp9)) },
            NetStandardReferences(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        if (!compilation.Emit(image).Success) throw new InvalidOperationException("the UnityEngine stand-in does not compile");
        return image.ToArray();
    }

    private static void CheckSampleCompilesAndRuns(string package)
    {
        string sampleFolder = Path.Combine(package, "Samples~/SteeringAgent");
        var sources = Directory.GetFiles(sampleFolder, "*.cs").Select(f => (f, File.ReadAllText(f))).ToList();
        byte[] unityEngine = CompileUnityEngineStub();
        byte[]? sample = CompileAsUnity(package, "Assembly-CSharp", sources, Array.Empty<AdditionalText>(), unityEngine, out string generated);
        Check(sample != null, $"the sample compiles at C# 9 against netstandard2.1 and the package's DLLs, with the packaged generator run by Roslyn {typeof(CSharpCompilation).Assembly.GetName().Version} (generated: {generated})");
        if (sample == null) return;

        // Run it: Awake, then frames. The network must learn the teacher's rule, and a frame allocate nothing.
        Assembly assembly = LoadBesidePackage(package, sample, unityEngine);
        Type agentType = assembly.GetType("NetGen.Samples.SteeringAgent", throwOnError: true)!;
        object agent = Activator.CreateInstance(agentType)!;
        MethodInfo awake = agentType.GetMethod("Awake", BindingFlags.Instance | BindingFlags.NonPublic)!;
        MethodInfo update = agentType.GetMethod("Update", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var updateFrame = (Action)Delegate.CreateDelegate(typeof(Action), agent, update);
        awake.Invoke(agent, null);
        for (int frame = 0; frame < 6_000; frame++) updateFrame();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int frame = 0; frame < 2_000; frame++) updateFrame();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        float accuracy = (float)agentType.GetField("accuracy")!.GetValue(agent)!;
        int steps = (int)agentType.GetField("steps")!.GetValue(agent)!;
        Check(steps == 8_000 / 32 && accuracy >= 0.8f, $"the sample's agent learns: {steps} training steps in 8,000 frames, last batch's accuracy {accuracy:F2} (at least 0.80; chance is 0.33)");
        Check(allocated == 0, $"2,000 frames of the sample (inference every frame, training every 32) allocate {allocated} bytes");
    }

    /// <summary>Loads a compiled script assembly, its references resolved to the package's DLLs and the UnityEngine stand-in.</summary>
    private static Assembly LoadBesidePackage(string package, byte[] image, byte[] unityEngine)
    {
        var context = new AssemblyLoadContext("unity-" + Guid.NewGuid().ToString("N"));
        context.Resolving += (ctx, name) => name.Name switch
        {
            "NetGen" => ctx.LoadFromAssemblyPath(Path.Combine(package, "Runtime/NetGen.dll")),
            "UnityEngine" => ctx.LoadFromStream(new MemoryStream(unityEngine)),
            _ => null,
        };
        return context.LoadFromStream(new MemoryStream(image));
    }

    // ---- baked weights from a Unity additional file ----

    /// <summary>
    /// Unity passes a generator only the files named <c>Filename.[Analyzer Name].additionalfile</c> (no
    /// period in Filename), the analyzer's name being its assembly's: for NetGen,
    /// <c>policy.NetGen.Generator.additionalfile</c>. The generator must take such a file as the base64
    /// safetensors text of <c>[Network(Weights = "policy.NetGen.Generator.additionalfile")]</c>.
    /// </summary>
    private static void CheckBakedWeightsFromUnityAdditionalFile(string package)
    {
        float[] weights = { 0.5f, -1.25f, 2f, 0.125f, -0.75f, 3.5f };
        float[] bias = { 0.25f, -0.5f, 1f };
        string base64 = Convert.ToBase64String(Safetensors(("policy.weight", new[] { 3, 2 }, weights), ("policy.bias", new[] { 3 }, bias)));
        const string source = """
            using NetGen;
            namespace Game
            {
                [Network(Weights = "policy.NetGen.Generator.additionalfile")]
                [Linear(2, 3)]
                public partial class BakedPolicy { }
            }
            """;
        var file = new InMemoryAdditionalText("/project/Assets/Models/policy.NetGen.Generator.additionalfile", base64);
        byte[]? image = CompileAsUnity(package, "Assembly-CSharp", new[] { ("/project/Assets/Scripts/BakedPolicy.cs", source) }, new[] { file }, null, out string generated);
        Check(image != null, $"a network bakes its weights from Assets/Models/policy.NetGen.Generator.additionalfile (generated: {generated})");
        if (image == null) return;
        Assembly assembly = LoadBesidePackage(package, image, CompileUnityEngineStub());
        object policy = Activator.CreateInstance(assembly.GetType("Game.BakedPolicy", throwOnError: true)!)!;
        var parameters = (float[])policy.GetType().GetProperty("Parameters")!.GetValue(policy)!;
        Check(parameters.SequenceEqual(weights.Concat(bias)), $"the baked network starts from the file's weights: [{string.Join(", ", parameters)}]");
    }

    /// <summary>A safetensors file of F32 tensors, in the order given.</summary>
    private static byte[] Safetensors(params (string Name, int[] Shape, float[] Values)[] tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, shape, values) in tensors)
        {
            if (header.Length > 1) header.Append(',');
            header.Append($"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + (values.Length * 4)}]}}");
            offset += values.Length * 4;
        }
        header.Append('}');
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        using var stream = new MemoryStream();
        stream.Write(BitConverter.GetBytes((long)headerBytes.Length));
        stream.Write(headerBytes);
        foreach (var (_, _, values) in tensors)
        {
            foreach (float v in values) stream.Write(BitConverter.GetBytes(v));
        }
        return stream.ToArray();
    }

    private static string AttributeName(MetadataReader metadata, CustomAttribute attribute)
    {
        if (attribute.Constructor.Kind != HandleKind.MemberReference) return "";
        var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
        if (constructor.Parent.Kind != HandleKind.TypeReference) return "";
        var type = metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent);
        return metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
    }

    private sealed class InMemoryAdditionalText : AdditionalText
    {
        private readonly SourceText _text;

        public InMemoryAdditionalText(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text, Encoding.UTF8);
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
