using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen.Safetensors;

/// <summary>One tensor that a layer owns: its name's last part (<c>weight</c>, <c>bias</c>, ...), its shape, and whether a file may leave it out.</summary>
internal sealed class OwnedTensor
{
    public OwnedTensor(string part, long[] shape, bool optional, string layout)
    {
        Part = part;
        Shape = shape;
        Optional = optional;
        Layout = layout;
    }

    public string Part { get; }

    public long[] Shape { get; }

    /// <summary>Whether the layer loads without it (a Linear without bias adds zero).</summary>
    public bool Optional { get; }

    /// <summary>The layout, for messages: "[outputs, inputs], the layout of nn.Linear.weight".</summary>
    public string Layout { get; }
}

/// <summary>What one layer with parameters takes from a file, whatever its kind.</summary>
internal sealed class LayerWants
{
    public LayerWants(int number, string text, IReadOnlyList<OwnedTensor> tensors, string noun = "layer with parameters")
    {
        Number = number;
        Text = text;
        Tensors = tensors;
        Noun = noun;
    }

    /// <summary>How messages call it: "Linear layer" in a network of Linear layers, else "layer with parameters".</summary>
    public string Noun { get; }

    /// <summary>The layer's place among the layers with parameters, from 1.</summary>
    public int Number { get; }

    /// <summary>The layer as the architecture writes it, e.g. <c>Linear(16,16)</c>.</summary>
    public string Text { get; }

    public IReadOnlyList<OwnedTensor> Tensors { get; }

    /// <summary>Whether <paramref name="module"/> holds exactly what this layer takes: every required tensor, nothing else, every shape right.</summary>
    public bool Fits(FileModule module)
    {
        int found = 0;
        foreach (OwnedTensor owned in Tensors)
        {
            if (module.Tensors.TryGetValue(owned.Part, out SafetensorsTensor? tensor))
            {
                if (!tensor.Shape.SequenceEqual(owned.Shape)) return false;
                found++;
            }
            else if (!owned.Optional)
            {
                return false;
            }
        }

        return found == module.Tensors.Count;
    }
}

/// <summary>
/// A module of a file: the tensors that share a module path (<c>mlp</c> for <c>mlp.weight</c> and
/// <c>mlp.bias</c>), split further by a recurrent layer's index (<c>gru</c>'s <c>weight_ih_l0</c> and
/// <c>weight_ih_l1</c> are two modules, <see cref="Stack"/> 0 and 1, whose parts are <c>weight_ih</c>).
/// </summary>
internal sealed class FileModule
{
    public FileModule(string path, int? stack)
    {
        Path = path;
        Stack = stack;
    }

    public string Path { get; }

    /// <summary>K of a recurrent layer's <c>_lK</c>, or null.</summary>
    public int? Stack { get; }

    /// <summary>Its tensors by part (the name's last part, without <c>_lK</c>).</summary>
    public Dictionary<string, SafetensorsTensor> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>How messages and the load options name it: the module path, with <c>_lK</c> for a recurrent layer.</summary>
    public string Name => Stack is int k ? $"{Path}_l{k.ToString(CultureInfo.InvariantCulture)}" : Path;

    /// <summary>Its tensors as messages list them: <c>"mlp.weight" [16, 16], "mlp.bias" [16]</c>.</summary>
    public string Describe() => string.Join(", ", Tensors.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => $"{SafetensorsHeader.Name(t.Name)} {t.ShapeText}"));
}

/// <summary>What <see cref="ModuleOrder.Find"/> found.</summary>
internal sealed class ModuleOrderResult
{
    /// <summary>The orders found that fit (module of each layer), at most two: one is the answer, two is ambiguous.</summary>
    public List<FileModule[]> Orders { get; } = new();

    /// <summary>Whether the search stopped at its budget before it could tell one order from several.</summary>
    public bool Undecided { get; set; }

    /// <summary>Where no order fits: the first layer (index) that no module could take, on the longest partial order tried.</summary>
    public int FailedLayer { get; set; } = -1;

    /// <summary>Where no order fits: the modules that could have come next at <see cref="FailedLayer"/> (their names place nothing before them).</summary>
    public List<FileModule> FailedCandidates { get; } = new();

    /// <summary>Whether the modules at <see cref="FailedLayer"/> were all that was left (so the mismatch is that module's, not the order's).</summary>
    public int FailedRemaining { get; set; }
}

/// <summary>
/// Decides which module of a file holds which layer's tensors, for any kind of layer. A state_dict
/// written by <c>safetensors.torch.save_file</c> is sorted by name, so a file does not say in which order
/// its modules run; names say it only where it is certain: <c>nn.Sequential</c> (and <c>nn.ModuleList</c>)
/// indices, compared as numbers (<c>0</c> &lt; <c>2</c> &lt; <c>10</c>), and a recurrent module's layers
/// (<c>_l0</c> &lt; <c>_l1</c>). Every other pair of modules (<c>mlp</c> and <c>ff</c>, <c>fc1</c> and
/// <c>fc2</c>) may run in either order, so the shapes must decide: the orders that respect the certain
/// pairs and give each layer a module that fits it are enumerated, and the caller loads the one that
/// fits, or refuses where none or several do. Never a guess.
/// </summary>
internal static class ModuleOrder
{
    /// <summary>
    /// Partial orders tried before the search gives up as undecided. Real networks need a few per
    /// layer; only many interchangeable modules with conflicting shapes could need more, and those are
    /// refused as undecided (the caller asks for the module names) rather than searched for long.
    /// </summary>
    private const int Budget = 200_000;

    /// <summary>Whether the names alone say that <paramref name="a"/> runs before <paramref name="b"/>.</summary>
    public static bool CertainlyBefore(FileModule a, FileModule b)
    {
        if (a.Path == b.Path) return a.Stack is int k && b.Stack is int l && k < l;
        string[] x = a.Path.Split('.'), y = b.Path.Split('.');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] == y[i]) continue;
            // The first components that differ: two indices of one container (Sequential or ModuleList)
            // run in the order of their numbers; any other pair of names says nothing.
            return IsIndex(x[i]) && IsIndex(y[i]) && CompareIndices(x[i], y[i]) < 0;
        }

        return false;
    }

    /// <summary>Finds up to two orders of <paramref name="modules"/> that fit <paramref name="layers"/> (one module per layer, as many modules as layers).</summary>
    public static ModuleOrderResult Find(IReadOnlyList<FileModule> modules, IReadOnlyList<LayerWants> layers)
    {
        int n = modules.Count;
        var before = new bool[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) before[i, j] = i != j && CertainlyBefore(modules[i], modules[j]);
        }

        var search = new Search(modules, layers, before);
        search.Run(0);
        return search.Result;
    }

    /// <summary>Compares two indices as numbers of any length (leading zeros ignored).</summary>
    public static int CompareIndices(string a, string b)
    {
        string x = a.TrimStart('0'), y = b.TrimStart('0');
        return x.Length != y.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y);
    }

    private static bool IsIndex(string component) => component.Length > 0 && component.All(c => c >= '0' && c <= '9');

    /// <summary>A depth-first search over layers in order, each taking a module that fits it and that no unplaced module must precede.</summary>
    private sealed class Search
    {
        private readonly IReadOnlyList<FileModule> _modules;
        private readonly IReadOnlyList<LayerWants> _layers;
        private readonly bool[,] _before;
        private readonly bool[] _used;
        private readonly int[] _order;
        // Sets of placed modules from which no order was found: reaching one again by another path is skipped.
        private readonly HashSet<string> _deadEnds = new(StringComparer.Ordinal);
        private int _steps;

        public Search(IReadOnlyList<FileModule> modules, IReadOnlyList<LayerWants> layers, bool[,] before)
        {
            _modules = modules;
            _layers = layers;
            _before = before;
            _used = new bool[modules.Count];
            _order = new int[layers.Count];
        }

        public ModuleOrderResult Result { get; } = new();

        private bool Done => Result.Orders.Count >= 2 || Result.Undecided;

        /// <summary>Places layer <paramref name="depth"/> and on; returns whether any order was completed from here.</summary>
        public bool Run(int depth)
        {
            if (depth == _layers.Count)
            {
                Result.Orders.Add(_order.Select(i => _modules[i]).ToArray());
                return true;
            }

            if (++_steps > Budget)
            {
                Result.Undecided = true;
                return false;
            }

            string key = new(_used.Select(u => u ? '1' : '0').ToArray());
            if (_deadEnds.Contains(key)) return false;

            bool any = false, placedAny = false;
            var candidates = new List<FileModule>();
            for (int m = 0; m < _modules.Count && !Done; m++)
            {
                if (_used[m] || !Ready(m)) continue;
                candidates.Add(_modules[m]);
                if (!_layers[depth].Fits(_modules[m])) continue;
                placedAny = true;
                _used[m] = true;
                _order[depth] = m;
                any |= Run(depth + 1);
                _used[m] = false;
            }

            if (!placedAny && depth > Result.FailedLayer)
            {
                Result.FailedLayer = depth;
                Result.FailedCandidates.Clear();
                Result.FailedCandidates.AddRange(candidates);
                Result.FailedRemaining = _used.Count(u => !u);
            }

            if (!any && !Result.Undecided) _deadEnds.Add(key);
            return any;
        }

        /// <summary>Whether every module that certainly runs before module <paramref name="m"/> is placed.</summary>
        private bool Ready(int m)
        {
            for (int other = 0; other < _modules.Count; other++)
            {
                if (!_used[other] && _before[other, m]) return false;
            }

            return true;
        }
    }
}
