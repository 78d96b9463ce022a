using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Kinds;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Reads <c>[Network(WeightsModuleNames = new[] { "embed", "mlp", "ff", "out" })]</c>: the module of each
/// layer with parameters in the baked file, for files whose names and shapes leave the order open
/// (NG0040). What can be checked without the file is checked here: that there is a Weights file to apply
/// it to (NG0041), and one name per layer with parameters, none empty or repeated (NG0042).
/// </summary>
internal static class WeightsModuleNamesRule
{
    public const string PropertyName = "WeightsModuleNames";

    /// <summary>The names as written (empty without the property) and the argument, where later diagnostics point.</summary>
    public static (List<StringValue> Names, SourceAnchor? Anchor) Read(AttributeData attribute, SyntaxNode attributeSyntax, bool hasWeights, List<DiagnosticInfo> diagnostics)
    {
        TypedConstant value = attribute.NamedArguments.FirstOrDefault(a => a.Key == PropertyName).Value;
        if (value.Kind != TypedConstantKind.Array || value.IsNull)
        {
            return (new List<StringValue>(), null);
        }

        SyntaxNode where = (attributeSyntax as AttributeSyntax)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == PropertyName)?.Expression ?? attributeSyntax;
        if (!hasWeights)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsModuleNamesWithoutWeights, where));
            return (new List<StringValue>(), null);
        }

        var names = value.Values.Select(v => new StringValue(v.Value as string ?? "")).ToList();
        return (names, SourceAnchor.Of(where));
    }

    /// <summary>One name per layer with parameters, each non-empty and different from the others (NG0042).</summary>
    public static void CheckCount(List<StringValue> names, SourceAnchor? anchor, List<LayerSpec> layers, List<DiagnosticInfo> diagnostics)
    {
        if (anchor is null) return;
        List<LayerSpec> parametric = layers.Where(l => l.Definition().ParameterCount(l) > 0).ToList();
        string? problem = null;
        if (names.Count != parametric.Count)
        {
            problem = $"it has {names.Count} name{(names.Count == 1 ? "" : "s")}, but the network has {parametric.Count} layer{(parametric.Count == 1 ? "" : "s")} with parameters";
        }
        else
        {
            for (int i = 0; i < names.Count && problem is null; i++)
            {
                if (names[i].Value.Length == 0) problem = $"name {i + 1} is empty";
                for (int j = 0; j < i && problem is null; j++)
                {
                    if (names[j].Value == names[i].Value) problem = $"it names \"{names[i].Value}\" twice (for layers {j + 1} and {i + 1} with parameters)";
                }
            }
        }

        if (problem is not null)
        {
            diagnostics.Add(anchor.Report(DiagnosticDescriptors.WeightsModuleNamesDoNotFit, problem));
        }
    }
}
