using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator;

/// <summary>
/// Finds every class marked <c>[NetGen.Network]</c>, parses it into a value-equatable
/// <see cref="NetworkSpec"/> plus diagnostics, and emits the network's code from the spec alone. The
/// diagnostics and the source travel as separate outputs, so that a change that only moves an error
/// does not regenerate code, and an unchanged spec is never emitted twice.
/// <para>
/// A second pipeline starts from each layer attribute instead, for types that carry layers but no
/// <c>[Network]</c> (NG0016), which the first never sees; it only reports.
/// </para>
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline's steps, for incrementality tests.</summary>
    public static class TrackingNames
    {
        public const string Parse = nameof(Parse);
        public const string Specs = nameof(Specs);
        public const string Diagnostics = nameof(Diagnostics);
        public const string MissingNetwork = nameof(MissingNetwork);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellationToken) => NetworkParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .Where(static d => d.Count > 0)
            .WithTrackingName(TrackingNames.Diagnostics);

        IncrementalValuesProvider<NetworkSpec> specs = parsed
            .Select(static (result, _) => result.Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Specs);

        context.RegisterSourceOutput(diagnostics, static (output, items) =>
        {
            foreach (DiagnosticInfo item in items)
            {
                output.ReportDiagnostic(item.ToDiagnostic());
            }
        });

        context.RegisterSourceOutput(specs, static (output, spec) =>
        {
            output.CancellationToken.ThrowIfCancellationRequested();
            output.AddSource(NetworkEmitter.HintName(spec), NetworkEmitter.Emit(spec));
        });

        // One ForAttributeWithMetadataName per layer attribute, rather than a syntax provider over every
        // type with attributes: Roslyn filters these by the attribute's simple name before binding
        // anything, so only declarations that name a layer attribute cost a semantic look.
        foreach (string layerAttributeName in NetworkParser.LayerAttributeNames)
        {
            IncrementalValuesProvider<DiagnosticInfo> missingNetwork = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    layerAttributeName,
                    static (node, _) => node is TypeDeclarationSyntax,
                    (context, cancellationToken) => MissingNetworkCheck.Check(context, layerAttributeName, NetworkParser.LayerAttributeNames, cancellationToken))
                .Where(static diagnostic => diagnostic is not null)
                .Select(static (diagnostic, _) => diagnostic!)
                .WithTrackingName(TrackingNames.MissingNetwork);

            context.RegisterSourceOutput(missingNetwork, static (output, diagnostic) => output.ReportDiagnostic(diagnostic.ToDiagnostic()));
        }
    }
}
