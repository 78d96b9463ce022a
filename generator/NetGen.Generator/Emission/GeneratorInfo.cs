using System.Reflection;

namespace NetGen.Generator.Emission;

/// <summary>What the generated code says about its generator.</summary>
internal static class GeneratorInfo
{
    /// <summary>
    /// The generator's version as its assembly carries it (Directory.Build.props sets one version for every
    /// project), without the source-revision suffix the SDK may append, so that it never drifts from the package.
    /// </summary>
    public static readonly string Version =
        typeof(GeneratorInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(GeneratorInfo).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";
}
