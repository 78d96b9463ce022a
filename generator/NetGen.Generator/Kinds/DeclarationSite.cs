using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds;

/// <summary>
/// Where a layer is declared, for a kind that reads and checks its own declaration: the attribute to point
/// diagnostics at, the list they go to, and the network options a kind's checks depend on.
/// </summary>
internal sealed class DeclarationSite
{
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly int _countBefore;

    public DeclarationSite(SyntaxNode attribute, List<DiagnosticInfo> diagnostics, bool fullUnroll, ElementType? elementType = null, string className = "")
    {
        ElementType = elementType;
        ClassName = className;
        Attribute = attribute;
        _diagnostics = diagnostics;
        _countBefore = diagnostics.Count;
        FullUnroll = fullUnroll;
    }

    /// <summary>The attribute that declares the layer.</summary>
    public SyntaxNode Attribute { get; }

    /// <summary>The network's element type, where it is known (null while the attributes are read, or when it is an error).</summary>
    public ElementType? ElementType { get; }

    /// <summary>The network class's name, for messages.</summary>
    public string ClassName { get; }

    /// <summary>Whether the network asks for <c>FullUnroll</c>.</summary>
    public bool FullUnroll { get; }

    /// <summary>Whether anything was reported here since the site was made.</summary>
    public bool HasReported => _diagnostics.Count > _countBefore;

    /// <summary>Reports <paramref name="descriptor"/> on the attribute.</summary>
    public void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, params object[] arguments)
        => _diagnostics.Add(DiagnosticInfo.Create(descriptor, Attribute, arguments));

    /// <summary>Reports a diagnostic made by the caller (one with properties for a code fix).</summary>
    public void Report(DiagnosticInfo diagnostic) => _diagnostics.Add(diagnostic);
}
