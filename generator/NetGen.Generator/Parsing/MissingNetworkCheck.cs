using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// NG0016: a type that carries NetGen layer attributes but no <c>[Network]</c> anywhere, which the
/// network pipeline never sees (it starts from <c>[Network]</c>), so that the user would otherwise get
/// no code and no word. The generator runs this once per layer attribute name, over
/// <c>ForAttributeWithMetadataName</c>; each declaration is reported once, by the run for the name of
/// its first layer attribute, at that attribute.
/// </summary>
internal static class MissingNetworkCheck
{
    /// <summary>The warning for this declaration, or null when it has <c>[Network]</c> or another run reports it.</summary>
    /// <param name="context">A type declaration carrying <paramref name="attributeName"/>.</param>
    /// <param name="attributeName">The layer attribute this run of the check was started for.</param>
    /// <param name="layerAttributeNames">Metadata names of every NetGen layer and loss attribute.</param>
    public static DiagnosticInfo? Check(
        GeneratorAttributeSyntaxContext context, string attributeName, IReadOnlyCollection<string> layerAttributeNames, CancellationToken cancellationToken)
    {
        if (context.TargetNode is not TypeDeclarationSyntax declaration || declaration.Identifier.IsMissing
            || context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        // [Network] on any declaration of the type: the network's own parse reads these layers, or
        // reports them with NG0015 when they are on a declaration without it.
        AttributeData[] attributes = type.GetAttributes().ToArray();
        if (attributes.Any(a => a.AttributeClass?.ToDisplayString() == NetworkParser.NetworkAttributeName))
        {
            return null;
        }

        AttributeSyntax? first = null;
        string? firstName = null;
        foreach (AttributeData data in attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? name = data.AttributeClass?.ToDisplayString();
            SyntaxReference? reference = data.ApplicationSyntaxReference;
            if (name is null || reference is null || !layerAttributeNames.Contains(name) || reference.SyntaxTree != declaration.SyntaxTree
                || !declaration.AttributeLists.Any(list => list.Span.Contains(reference.Span))
                || (first is not null && first.SpanStart <= reference.Span.Start))
            {
                continue;
            }
            first = (AttributeSyntax)reference.GetSyntax(cancellationToken);
            firstName = name;
        }

        return first is not null && firstName == attributeName
            ? DiagnosticInfo.Create(DiagnosticDescriptors.LayersWithoutNetwork, first, type.Name, first.ToString())
            : null;
    }
}
