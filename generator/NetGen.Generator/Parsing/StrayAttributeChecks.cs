using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// The attributes of a <c>[Network]</c> class that the parser would otherwise pass over without a
/// word: NetGen's layer attributes on another partial declaration of the class (NG0015, an error: the
/// layers would silently be missing), attributes that look like layers but are not NetGen's
/// (NG0014, a warning: the network is built without them), unresolved attributes whose names are close
/// to a NetGen layer's (NG0037, "did you mean [Linear]?", beside the compiler's CS0246), and any other
/// attribute standing between two layers (NG0038), which reads as a layer and is not one.
/// <para>
/// NetGen's layer attributes come in as a set of metadata names rather than being spelled here, so
/// that these checks follow whatever list of layers the parser knows.
/// </para>
/// </summary>
internal static class StrayAttributeChecks
{
    private const string AttributeSuffix = "Attribute";

    /// <summary>
    /// Names of common neural-network layers and losses that NetGen does not have (today): PyTorch's
    /// <c>torch.nn</c> module names, plus Keras's <c>Dense</c> and ML-Agents' <c>Swish</c>. An
    /// attribute by one of these names on a network class was almost certainly meant as a layer.
    /// Names that are also everyday words for other things (<c>Identity</c>, <c>Threshold</c>) are
    /// left out, so that a network class may carry such attributes of its own without a warning.
    /// </summary>
    internal static readonly IReadOnlyCollection<string> CommonLayerNames = new[]
    {
        // Activations.
        "Tanh", "Sigmoid", "LeakyReLU", "PReLU", "RReLU", "ReLU6", "SiLU", "Swish", "Mish", "GELU", "ELU", "SELU", "CELU", "GLU",
        "Softplus", "Softsign", "Softmin", "LogSoftmax", "Softmax2d", "Hardtanh", "Hardswish", "Hardsigmoid", "Hardshrink",
        "Softshrink", "Tanhshrink", "LogSigmoid",
        // Layers.
        "Dense", "Bilinear", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "BatchNorm1d", "BatchNorm2d",
        "BatchNorm3d", "LayerNorm", "GroupNorm", "RMSNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "Conv1d",
        "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "MaxPool1d", "MaxPool2d", "MaxPool3d",
        "AvgPool1d", "AvgPool2d", "AvgPool3d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
        "Flatten", "Unflatten", "Embedding", "EmbeddingBag", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell",
        "MultiheadAttention", "TransformerEncoderLayer", "TransformerDecoderLayer",
        // Losses.
        "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "KLDivLoss",
        "CrossEntropy", "HingeEmbeddingLoss", "MarginRankingLoss", "CosineEmbeddingLoss", "PoissonNLLLoss", "GaussianNLLLoss",
        "CTCLoss", "TripletMarginLoss", "MultiLabelSoftMarginLoss",
    };

    /// <summary>
    /// Reports NG0015 for every NetGen layer attribute on another declaration of the class, and NG0014
    /// for every attribute, on any of its declarations, that looks like a layer but is not NetGen's.
    /// </summary>
    /// <param name="declaration">The declaration carrying <c>[Network]</c>, whose layers the parser reads.</param>
    /// <param name="type">The network class.</param>
    /// <param name="layerAttributeNames">Metadata names of NetGen's layer and loss attributes.</param>
    public static void Check(
        TypeDeclarationSyntax declaration, INamedTypeSymbol type, IReadOnlyCollection<string> layerAttributeNames,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        // Attributes that already have a warning here, which NG0038 then leaves alone.
        var warned = new HashSet<TextSpan>();
        foreach (AttributeData data in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();

            // One that is not written in this compilation's source has nowhere to point a warning.
            if (data.AttributeClass is not INamedTypeSymbol attributeClass
                || data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
            {
                continue;
            }

            // An attribute the compiler cannot resolve has its error (CS0246), which names it; NG0037 adds
            // the layer it was probably meant to be, when its name is close to one of NetGen's.
            if (attributeClass.TypeKind == TypeKind.Error)
            {
                string? meant = LayerNameSuggestion.For(WithoutSuffix(WrittenName(syntax)), layerAttributeNames.Select(SimpleName), CommonLayerNames);
                if (meant is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisspelledLayer, syntax, syntax.ToString(), type.Name, meant + syntax.ArgumentList));
                    warned.Add(syntax.Span);
                }
                continue;
            }

            string fullName = attributeClass.ToDisplayString();
            if (layerAttributeNames.Contains(fullName))
            {
                if (!IsOn(declaration, syntax))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersOnAnotherDeclaration, syntax, syntax.ToString(), type.Name));
                }
                continue;
            }

            string? netGenLayer = SameNameAs(attributeClass.Name, layerAttributeNames);
            if (netGenLayer is not null || LooksLikeALayer(attributeClass.Name))
            {
                string instead = netGenLayer is not null
                    ? $"for NetGen's {SimpleName(netGenLayer)}, write [{WithoutSuffix(netGenLayer)}{syntax.ArgumentList}]"
                    : "remove it, or write one of NetGen's layers: " + string.Join(", ", layerAttributeNames.Select(SimpleName));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotANetGenLayer, syntax, syntax.Name.ToString(), fullName, type.Name, instead));
                warned.Add(syntax.Span);
            }
        }

        CheckBetweenLayers(declaration, type, layerAttributeNames, warned, diagnostics, cancellationToken);
    }

    /// <summary>
    /// NG0038: any other attribute standing between two layer attributes of the declaration that carries
    /// <c>[Network]</c> (<c>[Linear(4, 8)] [Tan] [Linear(8, 3)]</c>). Written there it reads as a layer,
    /// and the network is built without it, so say so, unless NG0014 or NG0037 already has.
    /// </summary>
    private static void CheckBetweenLayers(
        TypeDeclarationSyntax declaration, INamedTypeSymbol type, IReadOnlyCollection<string> layerAttributeNames,
        HashSet<TextSpan> warned, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var bySpan = new Dictionary<TextSpan, AttributeData>();
        foreach (AttributeData data in type.GetAttributes())
        {
            if (data.ApplicationSyntaxReference is SyntaxReference reference && reference.SyntaxTree == declaration.SyntaxTree)
            {
                bySpan[reference.Span] = data;
            }
        }
        string? ClassName(AttributeSyntax syntax)
            => bySpan.TryGetValue(syntax.Span, out AttributeData? data) && data.AttributeClass is { TypeKind: not TypeKind.Error } attributeClass
                ? attributeClass.ToDisplayString()
                : null;

        List<AttributeSyntax> attributes = declaration.AttributeLists.SelectMany(list => list.Attributes).ToList();
        bool IsLayer(AttributeSyntax syntax) => ClassName(syntax) is string name && layerAttributeNames.Contains(name);
        int first = attributes.FindIndex(IsLayer);
        int last = attributes.FindLastIndex(IsLayer);
        for (int index = first + 1; index < last; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AttributeSyntax syntax = attributes[index];
            if (IsLayer(syntax) || warned.Contains(syntax.Span) || ClassName(syntax) == NetworkParser.NetworkAttributeName)
            {
                continue;
            }
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AttributeBetweenLayers, syntax, syntax.ToString(), type.Name,
                string.Join(", ", layerAttributeNames.Select(SimpleName))));
        }
    }

    /// <summary>The attribute's own name as written, without any namespace or alias: <c>Linaer</c> in <c>[App.Linaer(4, 8)]</c>.</summary>
    private static string WrittenName(AttributeSyntax syntax) => syntax.Name switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => syntax.Name.ToString(),
    };

    /// <summary>True when more than one declaration of the type carries <c>[Network]</c>, which the compiler rejects (CS0579).</summary>
    public static bool HasNetworkOnSeveralDeclarations(INamedTypeSymbol type)
        => type.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == NetworkParser.NetworkAttributeName) > 1;

    /// <summary>
    /// True when an attribute class's name, less a trailing <c>Attribute</c>, equals ignoring case one
    /// of <see cref="CommonLayerNames"/>: the rule for "looks like a layer" besides NetGen's own names.
    /// </summary>
    internal static bool LooksLikeALayer(string attributeClassName)
    {
        string name = WithoutSuffix(attributeClassName);
        return CommonLayerNames.Any(layer => string.Equals(layer, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The NetGen layer attribute whose simple name equals this class's ignoring case, if any (a user's own <c>ReLUAttribute</c>, or <c>Relu</c>).</summary>
    private static string? SameNameAs(string attributeClassName, IReadOnlyCollection<string> layerAttributeNames)
    {
        string name = WithoutSuffix(attributeClassName);
        return layerAttributeNames.FirstOrDefault(layer => string.Equals(SimpleName(layer), name, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsOn(TypeDeclarationSyntax declaration, AttributeSyntax syntax)
        => syntax.SyntaxTree == declaration.SyntaxTree && declaration.AttributeLists.Any(list => list.Span.Contains(syntax.Span));

    /// <summary><c>NetGen.ReLUAttribute</c> to <c>ReLU</c>.</summary>
    private static string SimpleName(string metadataName)
        => WithoutSuffix(metadataName.Substring(metadataName.LastIndexOf('.') + 1));

    /// <summary><c>ReLUAttribute</c> to <c>ReLU</c>, as C# lets an attribute be written; a bare <c>Attribute</c> stays.</summary>
    private static string WithoutSuffix(string name)
        => name.Length > AttributeSuffix.Length && name.EndsWith(AttributeSuffix, StringComparison.Ordinal)
            ? name.Substring(0, name.Length - AttributeSuffix.Length)
            : name;
}
