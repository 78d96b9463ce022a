using NetGen.Layouts;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Kinds;
using NetGen.Generator.Kinds.Losses;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Weights;

namespace NetGen.Generator.Parsing;

/// <summary>
/// The outcome of parsing one declaration: a spec when it is valid, every problem found, and for a network
/// with Weights where its later diagnostics point (the argument), and the user's members that the output
/// step checks against the generated ones (NG0031), kept out of the spec so that the spec still compares
/// equal when the file's text moves.
/// </summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, SourceAnchor? WeightsAnchor = null, SourceAnchor? ModuleNamesAnchor = null, UserMembers? Members = null);

/// <summary>
/// Turns a class declaration carrying <c>[Network]</c> into a <see cref="NetworkSpec"/>, checking every
/// rule of the contract and reporting each broken one (not just the first), so that one build shows
/// the user everything to fix.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";

    /// <summary>
    /// Metadata names of every NetGen layer and loss attribute: what the checks for stray layer
    /// attributes (StrayAttributeChecks, MissingNetworkCheck, and the generator's NG0016 pipeline) take
    /// as NetGen's own. The one place to change when the layer catalogue supplies the names.
    /// </summary>
    public static readonly IReadOnlyCollection<string> LayerAttributeNames =
        LayerCatalog.All.Select(d => d.AttributeMetadataName).Concat(LossCatalog.All.Select(d => d.AttributeMetadataName)).ToArray();

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();
        if (declaration.Identifier.IsMissing)
        {
            // A half-typed declaration with no name yet: the compiler reports it, and a class without
            // a name cannot be completed by a generated part.
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        if (HasHalfTypedNamespace(declaration))
        {
            // The same for a namespace whose name is not all there (`namespace (Game.AI;`): the compiler
            // reports it, and a generated part could only repeat the broken name.
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        if (StrayAttributeChecks.HasNetworkOnSeveralDeclarations(type))
        {
            // The compiler reports the second [Network] (CS0579). Which declaration's layers were
            // meant is a guess, and each declaration's parse would emit the same file.
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        CheckDeclaration(declaration, type, diagnostics);
        cancellationToken.ThrowIfCancellationRequested();

        AttributeData networkAttribute = context.Attributes[0];
        SyntaxNode networkSyntax = networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) ?? declaration.Identifier.Parent!;
        CheckLanguageVersion(declaration, type, networkSyntax, diagnostics);
        ElementType? elementType = ReadElementType(networkAttribute, networkSyntax, diagnostics);
        bool fullUnroll = networkAttribute.NamedArguments.Any(a => a.Key == "FullUnroll" && a.Value.Value is true);
        bool deterministic = networkAttribute.NamedArguments.Any(a => a.Key == "Deterministic" && a.Value.Value is true);
        (string? weights, SourceAnchor? weightsAnchor) = ReadWeights(networkAttribute, networkSyntax, diagnostics);
        (List<StringValue> moduleNames, SourceAnchor? moduleNamesAnchor) = WeightsModuleNamesRule.Read(networkAttribute, networkSyntax, hasWeights: weights is not null, diagnostics);

        StrayAttributeChecks.Check(declaration, type, LayerAttributeNames, diagnostics, cancellationToken);
        List<DeclaredLayer>? declared = LayerAttributes.Read(declaration, type, fullUnroll, diagnostics, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (declared is null)
        {
            // A layer attribute the compiler already rejects (bad arguments, unresolved type): its error
            // says what is wrong, and guessing the layer would only add noise.
            return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        (List<LayerSpec> layers, LossSpec? loss, Shape inputShape) = LayerChain.Check(type.Name, networkSyntax, elementType, fullUnroll, declared, diagnostics);
        WeightsModuleNamesRule.CheckCount(moduleNames, moduleNamesAnchor, layers, diagnostics);

        // Warnings (NG0020) still let the network generate; any error stops it.
        if (diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error) || elementType is null)
        {
            return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        var spec = new NetworkSpec(
            Namespace: type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(NamespaceFormat),
            ContainingTypes: new EquatableArray<ContainingTypeSpec>(ContainingTypes(declaration)),
            ClassName: EscapedIdentifier(type.Name),
            Accessibility: SyntaxFacts.GetText(type.DeclaredAccessibility),
            FullyQualifiedMetadataName: MetadataName(type),
            ElementType: elementType.Value,
            FullUnroll: fullUnroll,
            Layers: new EquatableArray<LayerSpec>(layers),
            Loss: loss,
            Deterministic: deterministic,
            Weights: weights,
            WeightsModuleNames: new EquatableArray<StringValue>(moduleNames),
            InputShape: inputShape);

        // Members named like generated ones are only recorded here; the output step, which has the
        // generated text, decides whether they clash (NG0031, NG0034).
        return new ParseResult(spec, new EquatableArray<DiagnosticInfo>(diagnostics), weightsAnchor, moduleNamesAnchor, GeneratedNameCheck.Collect(type, declaration));
    }

    /// <summary>
    /// The generated code is C# 8 (nullable annotations, stackalloc inside a conditional). .NET Framework
    /// projects compile as C# 7.3 unless told otherwise, and without this check the user would see the
    /// compiler's errors inside a generated file rather than one error on their own declaration.
    /// </summary>
    private static void CheckLanguageVersion(TypeDeclarationSyntax declaration, INamedTypeSymbol type, SyntaxNode networkSyntax, List<DiagnosticInfo> diagnostics)
    {
        if (declaration.SyntaxTree.Options is CSharpParseOptions options && options.LanguageVersion < LanguageVersion.CSharp8)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LanguageVersionTooOld, networkSyntax, type.Name, options.LanguageVersion.ToDisplayString()));
        }
    }

    private static void CheckDeclaration(TypeDeclarationSyntax declaration, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        if (declaration is not ClassDeclarationSyntax)
        {
            string kind = declaration is RecordDeclarationSyntax ? "record" : declaration.Keyword.ValueText;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAClass, declaration.Identifier, type.Name, kind));
        }
        if (declaration.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticClass, declaration.Identifier, type.Name));
        }
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, declaration.Identifier, type.Name));
        }
        if (type.IsGenericType || ContainingTypeSymbols(type).Any(t => t.IsGenericType))
        {
            SyntaxNode where = (SyntaxNode?)declaration.TypeParameterList ?? declaration;
            diagnostics.Add(declaration.TypeParameterList is null
                ? DiagnosticInfo.Create(DiagnosticDescriptors.Generic, declaration.Identifier, type.Name)
                : DiagnosticInfo.Create(DiagnosticDescriptors.Generic, where, type.Name));
        }
        CheckFileLocal(declaration, type, diagnostics);
        CheckBaseNetwork(declaration, type, diagnostics);
        foreach (TypeDeclarationSyntax container in declaration.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!container.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, container.Identifier, type.Name, container.Identifier.ValueText));
            }
        }
    }

    /// <summary>
    /// NG0032: a <c>file</c> class, or a class inside one. The generated part lives in a file of its own,
    /// and C# lets only the file that declares a file-local type extend it, so the part could never
    /// compile. (The check reads the modifier's text: the generator is built against a Roslyn that
    /// predates C# 11 and has no <c>SyntaxKind.FileKeyword</c>.)
    /// </summary>
    private static void CheckFileLocal(TypeDeclarationSyntax declaration, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        foreach (TypeDeclarationSyntax candidate in declaration.AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
        {
            if (candidate.Modifiers.Any(m => m.Text == "file"))
            {
                string where = candidate == declaration ? "the class itself" : "'" + candidate.Identifier.ValueText + "', which contains it";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FileLocalNetwork, declaration.Identifier, type.Name, where));
                return;
            }
        }
    }

    /// <summary>
    /// NG0036: a network class deriving from another network class, directly or further up. Each network's
    /// generated members are its own (the constants, Parameters, Forward...), so the derived class's would
    /// hide the base's (18 x CS0108) and one object would hold two networks' parameters; what a user wants
    /// there is composition, which the message says.
    /// </summary>
    private static void CheckBaseNetwork(TypeDeclarationSyntax declaration, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (!baseType.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName))
            {
                continue;
            }
            // Point at the base class in this declaration's base list when it names it there (first, as C#
            // requires), else at the class's name: the base list may be on another partial declaration.
            string direct = type.BaseType!.Name;
            BaseTypeSyntax? written = declaration.BaseList?.Types.FirstOrDefault();
            bool namesIt = written is not null && LastIdentifier(written.Type) == direct;
            string shown = baseType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            diagnostics.Add(namesIt
                ? DiagnosticInfo.Create(DiagnosticDescriptors.NetworkDerivesFromNetwork, written!, type.Name, shown)
                : DiagnosticInfo.Create(DiagnosticDescriptors.NetworkDerivesFromNetwork, declaration.Identifier, type.Name, shown));
            return;
        }
    }

    private static string LastIdentifier(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => type.ToString(),
    };

    private static IEnumerable<INamedTypeSymbol> ContainingTypeSymbols(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            yield return container;
        }
    }

    private static ElementType? ReadElementType(AttributeData attribute, SyntaxNode location, List<DiagnosticInfo> diagnostics)
    {
        if (attribute.ConstructorArguments.Length == 0)
        {
            return ElementType.Float;
        }
        TypedConstant argument = attribute.ConstructorArguments[0];
        if (argument.Value is ITypeSymbol { SpecialType: SpecialType.System_Single })
        {
            return ElementType.Float;
        }
        if (argument.Value is ITypeSymbol { SpecialType: SpecialType.System_Double })
        {
            return ElementType.Double;
        }
        string shown = argument.Value is ITypeSymbol other ? other.ToDisplayString() : "null";
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedElementType, location, shown));
        return null;
    }

    /// <summary>
    /// The <c>Weights</c> path, normalized by <see cref="WeightsPath"/>, and the argument's expression, where
    /// the file's diagnostics point; (null, null) without Weights (or with <c>Weights = null</c>). A path
    /// that cannot name a file's end is NG0022 here, before any file is looked at.
    /// </summary>
    private static (string? Weights, SourceAnchor? Anchor) ReadWeights(AttributeData attribute, SyntaxNode attributeSyntax, List<DiagnosticInfo> diagnostics)
    {
        string? written = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Weights").Value.Value as string;
        if (written is null)
        {
            return (null, null);
        }
        SyntaxNode where = (attributeSyntax as AttributeSyntax)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Weights")?.Expression ?? attributeSyntax;
        string? weights = WeightsPath.Normalize(written, out string? problem);
        if (weights is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsPathNotRelative, where, written, problem!));
            return (null, null);
        }
        return (weights, SourceAnchor.Of(where));
    }

    private static IEnumerable<ContainingTypeSpec> ContainingTypes(TypeDeclarationSyntax declaration)
    {
        var containers = declaration.Ancestors().OfType<TypeDeclarationSyntax>().Reverse();
        foreach (TypeDeclarationSyntax container in containers)
        {
            string keyword = container is RecordDeclarationSyntax record
                ? (record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record")
                : container.Keyword.ValueText;
            yield return new ContainingTypeSpec(keyword, EscapedIdentifier(container.Identifier.ValueText));
        }
    }

    /// <summary>A namespace as C# source spells it: dotted, with keywords escaped (<c>namespace App.@event</c>).</summary>
    /// <summary>Whether a namespace around the declaration has a name with a token the parser had to invent.</summary>
    private static bool HasHalfTypedNamespace(TypeDeclarationSyntax declaration)
    {
        foreach (BaseNamespaceDeclarationSyntax space in declaration.Ancestors().OfType<BaseNamespaceDeclarationSyntax>())
        {
            if (space.Name.IsMissing || space.Name.DescendantTokens().Any(token => token.IsMissing))
            {
                return true;
            }
        }
        return false;
    }

    private static readonly SymbolDisplayFormat NamespaceFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>
    /// A namespace as metadata names it, keywords unescaped: it goes into the hint name, where Roslyn
    /// rejects '@' (the default display format would write <c>@event</c>).
    /// </summary>
    private static readonly SymbolDisplayFormat MetadataNamespaceFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces);

    /// <summary>
    /// A name as C# source must spell it: a class may be called <c>@class</c>, and the emitter writes
    /// the names back into code, where the bare keyword would not parse.
    /// </summary>
    private static string EscapedIdentifier(string name)
        => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    private static string MetadataName(INamedTypeSymbol type)
    {
        var parts = new Stack<string>();
        parts.Push(type.MetadataName);
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            parts.Push(container.MetadataName + "+");
        }
        string typePath = string.Concat(parts);
        return type.ContainingNamespace.IsGlobalNamespace ? typePath : type.ContainingNamespace.ToDisplayString(MetadataNamespaceFormat) + "." + typePath;
    }
}
