using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Weights;

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

        /// <summary>Every network's generated file name, chosen over all of them so that none collide.</summary>
        public const string HintNames = nameof(HintNames);

        /// <summary>The Weights paths that some valid network names, distinct and sorted.</summary>
        public const string RequestedWeights = nameof(RequestedWeights);

        /// <summary>Each AdditionalFiles item that a requested path names, read and decoded (the only step that reads a file).</summary>
        public const string WeightsFiles = nameof(WeightsFiles);

        /// <summary>Each network with Weights, its file matched to its Linear layers and converted (or refused).</summary>
        public const string Bake = nameof(Bake);

        /// <summary>The paths of every AdditionalFiles item, for the hints of NG0023.</summary>
        public const string AdditionalFilePaths = nameof(AdditionalFilePaths);

        /// <summary>The Weights diagnostics of each network, at its Weights argument.</summary>
        public const string WeightsDiagnostics = nameof(WeightsDiagnostics);

        /// <summary>Every valid network's members named like generated ones, which the output step checks (NG0031, NG0034).</summary>
        public const string UserMembers = nameof(UserMembers);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellationToken) => GenerationGuard.Parse(() => NetworkParser.Parse(context, cancellationToken), (TypeDeclarationSyntax)context.TargetNode))
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

        // Every network's file name, chosen knowing all of them (so that two can never collide); each
        // network takes its own name out, so adding a network re-emits no other whose name stays.
        IncrementalValueProvider<EquatableArray<HintNameEntry>> hintNames = specs
            .Select(static (spec, _) => spec.FullyQualifiedMetadataName)
            .Collect()
            .Select(static (names, _) => HintNames.Assign(names))
            .WithTrackingName(TrackingNames.HintNames);

        // Each network's members named like generated ones (nearly always none), gathered so that the
        // output step can take its own out by name, as with hint names.
        IncrementalValueProvider<EquatableArray<NamedUserMembers>> userMembers = parsed
            .Where(static result => result.Spec is not null && result.Members is { } members && (members.Members.Count > 0 || members.ClassName is not null))
            .Select(static (result, _) => new NamedUserMembers(result.Spec!.FullyQualifiedMetadataName, result.Members!))
            .Collect()
            .Select(static (items, _) => new EquatableArray<NamedUserMembers>(items))
            .WithTrackingName(TrackingNames.UserMembers);

        IncrementalValuesProvider<(NetworkSpec Spec, string HintName, UserMembers Members)> unbaked = specs
            .Where(static spec => spec.Weights is null)
            .Combine(hintNames)
            .Combine(userMembers)
            .Select(static (pair, _) => (pair.Left.Left, HintNames.For(pair.Left.Right, pair.Left.Left.FullyQualifiedMetadataName), NamedUserMembers.For(pair.Right, pair.Left.Left.FullyQualifiedMetadataName)));

        context.RegisterSourceOutput(unbaked, static (output, item) =>
        {
            output.CancellationToken.ThrowIfCancellationRequested();
            GenerationGuard.Emit(item.Spec.FullyQualifiedMetadataName, () => AddChecked(output, item.Spec, item.HintName, NetworkEmitter.Emit(item.Spec, baked: null), item.Members), output.ReportDiagnostic);
        });

        InitializeBakedWeights(context, parsed, specs, hintNames, userMembers);

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

    /// <summary>
    /// Networks with <c>[Network(Weights = "...")]</c>. A file's text enters only through
    /// <c>AdditionalTextsProvider</c>, and only for the items that a valid network names: the others are
    /// never read. Reading a file (base64, then the safetensors header and data) is a step per item that
    /// reruns only when that item changes or the set of requested paths does (and then, for an unchanged
    /// item, finds it Unchanged without reading it); matching and converting is a step per network keyed by
    /// its spec and the files its path matches, with no location in it; only the small diagnostics step carries where
    /// to point. So an edit to a C# file reads no file and converts nothing, a file saved again unchanged
    /// regenerates nothing, and a changed file is matched, converted and emitted again only for the networks
    /// that name it.
    /// </summary>
    private static void InitializeBakedWeights(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ParseResult> parsed, IncrementalValuesProvider<NetworkSpec> specs,
        IncrementalValueProvider<EquatableArray<HintNameEntry>> hintNames, IncrementalValueProvider<EquatableArray<NamedUserMembers>> userMembers)
    {
        IncrementalValuesProvider<NetworkSpec> baked = specs.Where(static spec => spec.Weights is not null);

        IncrementalValueProvider<EquatableArray<StringValue>> requested = baked
            .Select(static (spec, _) => spec.Weights!)
            .Collect()
            .Select(static (paths, _) => new EquatableArray<StringValue>(paths.Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).Select(p => new StringValue(p))))
            .WithTrackingName(TrackingNames.RequestedWeights);

        IncrementalValuesProvider<WeightsFile> files = context.AdditionalTextsProvider
            .Combine(requested)
            .Where(static pair => pair.Right.Any(path => WeightsPath.Matches(pair.Left.Path, path.Value)))
            // The text itself, compared by reference: when only the requested paths changed, an item that
            // was read before comes out Unchanged here, and the read below is not run again.
            .Select(static (pair, _) => pair.Left)
            .Select(static (text, cancellationToken) => WeightsFile.Read(text, cancellationToken))
            .WithTrackingName(TrackingNames.WeightsFiles);

        IncrementalValueProvider<EquatableArray<WeightsFile>> allFiles = files
            .Collect()
            .Select(static (items, _) => new EquatableArray<WeightsFile>(items.OrderBy(file => file.Path, StringComparer.Ordinal)));

        IncrementalValuesProvider<BakeOutcome> bakes = baked
            .Combine(allFiles)
            // Each network's own candidates only: when one file changes, the other networks' inputs stay
            // equal, so only the networks that name it are matched and converted again.
            .Select(static (pair, _) => new BakeInput(pair.Left, new EquatableArray<WeightsFile>(pair.Right.Where(file => WeightsPath.Matches(file.Path, pair.Left.Weights!)))))
            .Select(static (input, cancellationToken) => WeightsBaker.Bake(input.Spec, input.Files, cancellationToken))
            .WithTrackingName(TrackingNames.Bake);

        IncrementalValuesProvider<(BakeOutcome Bake, string HintName, UserMembers Members)> bakedSources = bakes
            .Where(static bake => bake.Baked is not null)
            .Combine(hintNames)
            .Combine(userMembers)
            .Select(static (pair, _) => (pair.Left.Left, HintNames.For(pair.Left.Right, pair.Left.Left.Spec.FullyQualifiedMetadataName), NamedUserMembers.For(pair.Right, pair.Left.Left.Spec.FullyQualifiedMetadataName)));

        context.RegisterSourceOutput(bakedSources, static (output, item) =>
        {
            output.CancellationToken.ThrowIfCancellationRequested();
            GenerationGuard.Emit(item.Bake.Spec.FullyQualifiedMetadataName, () => AddChecked(output, item.Bake.Spec, item.HintName, NetworkEmitter.Emit(item.Bake.Spec, item.Bake.Baked), item.Members), output.ReportDiagnostic);
        });

        IncrementalValueProvider<EquatableArray<StringValue>> additionalPaths = context.AdditionalTextsProvider
            .Select(static (text, _) => new StringValue(text.Path))
            .Collect()
            .Select(static (paths, _) => new EquatableArray<StringValue>(paths.OrderBy(p => p.Value, StringComparer.Ordinal)))
            .WithTrackingName(TrackingNames.AdditionalFilePaths);

        // The problems alone, by network, so that this step does not compare the baked bytes again.
        IncrementalValueProvider<EquatableArray<WeightsVerdict>> verdicts = bakes
            .Select(static (bake, _) => new WeightsVerdict(bake.Spec.FullyQualifiedMetadataName, bake.Problem))
            .Collect()
            .Select(static (items, _) => new EquatableArray<WeightsVerdict>(items));

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> weightsDiagnostics = parsed
            .Where(static result => result.Spec?.Weights is not null && result.WeightsAnchor is not null)
            .Combine(verdicts)
            .Combine(additionalPaths)
            .Select(static (input, _) => WeightsDiagnostics.For(input.Left.Left, input.Left.Right, input.Right))
            .Where(static d => d.Count > 0)
            .WithTrackingName(TrackingNames.WeightsDiagnostics);

        context.RegisterSourceOutput(weightsDiagnostics, static (output, items) =>
        {
            foreach (DiagnosticInfo item in items)
            {
                output.ReportDiagnostic(item.ToDiagnostic());
            }
        });
    }

    /// <summary>
    /// Adds a network's file, unless a member the user declared clashes with one the file declares: then
    /// NG0031 (or NG0034) says which, on the user's member, and no file is added, since the compiler would
    /// only repeat the clash as duplicate-member errors inside it.
    /// </summary>
    private static void AddChecked(SourceProductionContext output, NetworkSpec spec, string hintName, string text, UserMembers members)
    {
        System.Collections.Generic.List<Diagnostic> clashes = GeneratedNameCheck.Find(text, spec, members, output.CancellationToken);
        if (clashes.Count == 0)
        {
            output.AddSource(hintName, text);
            return;
        }

        foreach (Diagnostic clash in clashes)
        {
            output.ReportDiagnostic(clash);
        }
    }
}

/// <summary>One network's <see cref="UserMembers"/>, by its metadata name, as the output steps look them up.</summary>
internal sealed record NamedUserMembers(string MetadataName, UserMembers Members)
{
    /// <summary>The members recorded for <paramref name="metadataName"/>, or none.</summary>
    public static UserMembers For(EquatableArray<NamedUserMembers> all, string metadataName)
        => all.FirstOrDefault(m => m.MetadataName == metadataName)?.Members ?? UserMembers.None;
}
