using NetGen.Generator.Kinds.Losses;
using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds;

/// <summary>
/// The canonical text of a declaration (<c>float: Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss</c>),
/// as <c>INetwork&lt;T&gt;.Architecture</c> returns it and the library's <c>NetworkArchitecture</c> reads it:
/// each kind writes its own token.
/// </summary>
internal static class ArchitectureText
{
    public static string Of(NetworkSpec spec)
    {
        var text = new System.Text.StringBuilder(spec.ElementKeyword).Append(':');
        if (spec.InputShape.IsKnown)
        {
            text.Append(' ').Append(Shapes.InputLayer.CanonicalText(spec.InputShape));
        }
        foreach (LayerSpec layer in spec.Layers)
        {
            text.Append(' ').Append(LayerCatalog.For(layer.Kind).CanonicalText(layer));
        }
        if (spec.Loss is not null)
        {
            text.Append(' ').Append(LossCatalog.For(spec.Loss.Kind).Name);
        }
        return text.ToString();
    }
}
