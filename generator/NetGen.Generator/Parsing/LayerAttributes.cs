using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Kinds;
using NetGen.Generator.Kinds.Losses;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>A layer or a loss as declared, with the syntax to point diagnostics at.</summary>
internal sealed record DeclaredLayer(LayerSpec? Layer, LossDefinition? Loss, AttributeSyntax Syntax)
{
    public string Name => Layer is not null ? LayerCatalog.For(Layer.Kind).Name : Loss!.Name;
}

/// <summary>
/// Reads the layer and loss attributes of one declaration, in source order (top to bottom, left to right
/// within one attribute list), each layer by its own kind, which reads and checks its arguments.
/// </summary>
internal static class LayerAttributes
{
    /// <summary>
    /// The layers and losses declared, or null when one of them is an attribute the compiler already
    /// rejects (an unresolved constructor: its error says what is wrong, and guessing would add noise).
    /// A kind that cannot read arguments the compiler accepted is NG0045, never silence.
    /// </summary>
    public static List<DeclaredLayer>? Read(TypeDeclarationSyntax declaration, INamedTypeSymbol type, bool fullUnroll, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        // Attribute data for this declaration only, keyed by where it is written: a partial class's
        // other declarations may carry attributes too, but the contract takes layers from this one.
        var bySpan = new Dictionary<Microsoft.CodeAnalysis.Text.TextSpan, AttributeData>();
        foreach (AttributeData data in type.GetAttributes())
        {
            SyntaxReference? reference = data.ApplicationSyntaxReference;
            if (reference is not null && reference.SyntaxTree == declaration.SyntaxTree)
            {
                bySpan[reference.Span] = data;
            }
        }

        var layers = new List<DeclaredLayer>();
        bool unreadable = false;
        foreach (AttributeListSyntax list in declaration.AttributeLists)
        {
            foreach (AttributeSyntax syntax in list.Attributes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!bySpan.TryGetValue(syntax.Span, out AttributeData? data) || data.AttributeClass is null)
                {
                    continue;
                }
                string name = data.AttributeClass.ToDisplayString();
                if (LayerCatalog.TryGetByAttribute(name, out LayerDefinition? definition))
                {
                    if (data.AttributeConstructor is null)
                    {
                        return null;
                    }
                    var site = new DeclarationSite(syntax, diagnostics, fullUnroll);
                    LayerSpec? layer = definition.Read(data.ConstructorArguments, data.NamedArguments, site);
                    if (layer is null)
                    {
                        if (!site.HasReported)
                        {
                            site.Report(DiagnosticDescriptors.LayerArgumentsNotRead, syntax.ToString(), definition.Name + " takes no arguments of these types");
                        }
                        unreadable = true;
                        continue;
                    }
                    layers.Add(new DeclaredLayer(layer, null, syntax));
                }
                else if (LossCatalog.TryGetByAttribute(name, out LossDefinition? loss))
                {
                    layers.Add(new DeclaredLayer(null, loss, syntax));
                }
            }
        }
        return unreadable ? null : layers;
    }
}
