using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Kinds;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Matches residual markers as the chain is walked: each [EndResidual] closes the innermost open
/// [Residual] (NG0080 where none is open), the block between them must hold a layer (NG0083) and keep the
/// shape (NG0082), and every block must be closed (NG0081, on the [Residual] that opened it).
/// </summary>
internal sealed class ResidualBlocks
{
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly Stack<OpenBlock> _open = new();

    public ResidualBlocks(List<DiagnosticInfo> diagnostics) => _diagnostics = diagnostics;

    /// <summary>The deepest nesting seen so far: how many skip buffers the backward pass needs.</summary>
    public int Deepest { get; private set; }

    /// <summary>Follows one layer of the chain, <paramref name="shapeSource"/> naming where the shape flowing into it came from.</summary>
    public void Follow(LayerDefinition definition, SyntaxNode syntax, LayerSpec layer, string shapeSource)
    {
        if (_open.Count > 0)
        {
            _open.Peek().Layers++;
        }
        if (definition.AliasesSource)
        {
            _open.Push(new OpenBlock(syntax, layer));
            Deepest = System.Math.Max(Deepest, _open.Count);
            return;
        }
        if (definition.InputCount != 2)
        {
            return;
        }
        if (_open.Count == 0)
        {
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EndResidualWithoutResidual, syntax));
            return;
        }
        OpenBlock block = _open.Pop();
        // The join itself was counted as a layer of the block.
        if (block.Layers == 1)
        {
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyResidual, block.Syntax));
        }
        else if (layer.InputShape.IsKnown && block.Marker.InputShape.IsKnown && !layer.InputShape.Equals(block.Marker.InputShape))
        {
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ResidualChangesShape, syntax,
                block.Marker.InputShape.ToString(), layer.InputShape.ToString(), shapeSource));
        }
    }

    /// <summary>NG0081 on every [Residual] still open at the end of the chain.</summary>
    public void ReportUnclosed()
    {
        foreach (OpenBlock block in _open)
        {
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ResidualNeverClosed, block.Syntax));
        }
        _open.Clear();
    }

    private sealed class OpenBlock
    {
        public OpenBlock(SyntaxNode syntax, LayerSpec marker)
        {
            Syntax = syntax;
            Marker = marker;
        }

        public SyntaxNode Syntax { get; }

        public LayerSpec Marker { get; }

        /// <summary>Attributes inside the block so far, its join included once it is reached.</summary>
        public int Layers { get; set; }
    }
}
