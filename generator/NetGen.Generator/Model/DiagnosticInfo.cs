using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// A diagnostic to report, kept apart from the cached <see cref="NetworkSpec"/>. It holds the syntax
/// tree and span rather than a <see cref="Location"/> built from a path, so that the reported location
/// stays a source location and <c>#pragma warning disable</c> and editor squiggles work.
/// <para>
/// <see cref="Properties"/> carry what a code fix needs and cannot cheaply recompute (NG0007's
/// expected width), as the reported diagnostic's <see cref="Diagnostic.Properties"/>.
/// </para>
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, SyntaxTree SyntaxTree, TextSpan Span, EquatableArray<StringValue> Arguments, EquatableArray<DiagnosticProperty> Properties = default)
{
    /// <summary>This diagnostic with one more property for code fixes.</summary>
    public DiagnosticInfo WithProperty(string key, string value)
        => this with { Properties = new EquatableArray<DiagnosticProperty>(Properties.Append(new DiagnosticProperty(key, value))) };

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxNode node, params object[] arguments)
        => Create(descriptor, node.SyntaxTree, node.Span, arguments);

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxToken token, params object[] arguments)
        => Create(descriptor, token.SyntaxTree!, token.Span, arguments);

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxTree tree, TextSpan span, object[] arguments)
    {
        var texts = new StringValue[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            texts[i] = new StringValue(Convert.ToString(arguments[i], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }
        return new DiagnosticInfo(descriptor, tree, span, new EquatableArray<StringValue>(texts));
    }

    public Diagnostic ToDiagnostic()
    {
        var arguments = new object[Arguments.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i].Value;
        }
        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty;
        foreach (DiagnosticProperty property in Properties)
        {
            properties = properties.SetItem(property.Key, property.Value);
        }
        return Diagnostic.Create(Descriptor, Location.Create(SyntaxTree, Span), properties, arguments);
    }
}

/// <summary>A string that can live in an <see cref="EquatableArray{T}"/>.</summary>
internal readonly record struct StringValue(string Value);

/// <summary>One entry of a diagnostic's properties, equatable so that it can live in the cached parse result.</summary>
internal readonly record struct DiagnosticProperty(string Key, string Value);

/// <summary>
/// Where a diagnostic that is only known later will point: the <c>Weights</c> argument of a network whose
/// file is checked by a later step of the pipeline. It holds the tree and span for the same reason
/// <see cref="DiagnosticInfo"/> does, and travels only towards the diagnostics output, never into a spec.
/// </summary>
internal sealed record SourceAnchor(SyntaxTree SyntaxTree, TextSpan Span)
{
    public static SourceAnchor Of(SyntaxNode node) => new(node.SyntaxTree, node.Span);

    public DiagnosticInfo Report(DiagnosticDescriptor descriptor, params object[] arguments)
        => DiagnosticInfo.Create(descriptor, SyntaxTree, Span, arguments);
}
