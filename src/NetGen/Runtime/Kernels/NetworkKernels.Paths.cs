using System.Numerics;
using System.Text;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// Which kernels a call takes depends on what the generator knew (a written-out forward, fused ReLUs) and on
// what only the running process knows (hardware vectors, their width, AVX-512). Describe() states both, so
// that a user reading a benchmark can tell what ran.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// The paths part of a generated feed-forward network's <c>Describe()</c>: the kernels this process
    /// takes for one sample, for batches and for training. <paramref name="writtenOutSample"/>: the network
    /// has a written-out single-sample forward (ForwardInLanes); <paramref name="fusedReLU"/>: the layers in
    /// whose stores feature-major inference applies the ReLU after them ("layers 1, 4"), or empty.
    /// </summary>
    public static string DescribePaths(bool writtenOutSample, string fusedReLU)
    {
        string element = typeof(T) == typeof(float) ? "float" : "double";
        int lanes = Vector<T>.Count;
        bool vectors = Vector.IsHardwareAccelerated;
        bool wide = false, inLanes = false;
        int wideLanes = lanes;
#if NET8_0_OR_GREATER
        wide = Simd512.IsWorthwhile<T>();
        wideLanes = wide ? Vector512<T>.Count : lanes;
        inLanes = writtenOutSample && FloatKernels.LanesAccelerated;
#endif
        var text = new StringBuilder("Paths in this process (");
        text.Append(vectors ? $"hardware vectors, Vector<{element}> of {lanes}" : "no hardware vectors");
        text.Append(wide ? ", 512-bit vectors accelerated):\n" : "):\n");
        string featureMajor = "feature-major, the samples along the lanes of "
            + (wide ? $"512-bit vectors ({wideLanes} at a time)" : $"Vector<{element}> ({lanes} at a time)")
            + ", samples past the last whole vector one by one"
            + $"; Linear layers in register blocks of 6 rows x {(HasThirtyTwoVectorRegisters ? 4 : 2)} vectors of samples"
            + (fusedReLU.Length > 0 ? $"; in inference, ReLU applied in the stores of {fusedReLU}" : "");
        if (A.IsDeterministic)
        {
            text.Append(vectors
                ? $"  Every call: {featureMajor}; deterministic arithmetic (the same bits on every machine)\n"
                : "  Every call: feature-major, in scalars; deterministic arithmetic (the same bits on every machine)\n");
            return text.ToString();
        }
        if (!vectors)
        {
            text.Append("  Every call: the scalar kernels\n");
            return text.ToString();
        }
        text.Append(inLanes
            ? "  Forward, one sample: written out in ForwardInLanes, each layer's outputs in 512-bit vector registers\n"
            : "  Forward, one sample: sample-major kernels, a sample at a time\n");
        text.Append(lanes > 2
            ? $"  Forward and training, batches of 1-{lanes - 1}: sample-major kernels, a sample at a time\n"
            : "  Forward and training, a batch of 1: sample-major kernels, a sample at a time\n");
        text.Append($"  Forward and training, batches of {lanes} or more: {featureMajor}\n");
        return text.ToString();
    }
}
