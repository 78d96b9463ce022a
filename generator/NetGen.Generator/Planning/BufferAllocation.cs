using System.Collections.Generic;
using NetGen.Generator.Kinds;

namespace NetGen.Generator.Planning;

/// <summary>What an inference buffer is: the caller's read-only input, the caller's output, or a scratch buffer.</summary>
internal enum InferenceBufferKind
{
    Input,
    Output,
    Scratch,
}

/// <summary>Where a node's output lives during inference: the caller's spans, or scratch buffer number <see cref="Scratch"/>.</summary>
internal readonly record struct InferenceBuffer(InferenceBufferKind Kind, int Scratch)
{
    public static InferenceBuffer Input => new(InferenceBufferKind.Input, -1);

    public static InferenceBuffer Output => new(InferenceBufferKind.Output, -1);

    public static InferenceBuffer ScratchNumber(int number) => new(InferenceBufferKind.Scratch, number);

    public bool IsScratch => Kind == InferenceBufferKind.Scratch;
}

/// <summary>
/// Gives each node of the graph a buffer for inference by liveness: a value lives from the node that makes
/// it to the last node that reads it; a node whose kind may run in place writes over its input where that
/// input dies at this node, and otherwise takes the lowest-numbered scratch buffer that holds no live
/// value. For a chain of kinds this is the alternation between two buffers that a Linear layer needs and
/// in-place work for the rest; a join that keeps a value alive across a block makes a third. A residual
/// marker computes nothing and shares its source's buffer, which stays occupied until the join reads it.
/// </summary>
internal static class BufferAllocation
{
    /// <summary>
    /// Sample-major: the caller's input is read-only, and from the last node that cannot run in place
    /// onwards every node works in the caller's output (the ones after it in place there), so the network's
    /// result needs no copy.
    /// </summary>
    public static InferenceBuffer[] Rows(IReadOnlyList<PlannedLayer> nodes)
    {
        int tail = 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            if (!nodes[i].Layer.Definition().MayRunInPlace)
            {
                tail = i;
            }
            // A residual block's input is read again at its join, so it must not be in the caller's output,
            // which the nodes from the tail on overwrite: the tail starts after the block's marker at the earliest.
            if (nodes[i].Layer.Definition().AliasesSource)
            {
                tail = System.Math.Max(tail, i + 1);
            }
        }
        return Allocate(nodes, InferenceBuffer.Input, inputWritable: false, tail);
    }

    /// <summary>
    /// Feature-major: the chunk's input is first transposed into scratch buffer 0, which the nodes may
    /// then work in; the result is transposed out of whichever buffer holds it.
    /// </summary>
    public static InferenceBuffer[] Columns(IReadOnlyList<PlannedLayer> nodes)
        => Allocate(nodes, InferenceBuffer.ScratchNumber(0), inputWritable: true, tail: nodes.Count);

    private static InferenceBuffer[] Allocate(IReadOnlyList<PlannedLayer> nodes, InferenceBuffer inputBuffer, bool inputWritable, int tail)
    {
        // The last node that reads each value; the network's result lives to the end.
        var lastUse = new Dictionary<int, int>();
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (int source in nodes[i].Sources)
            {
                lastUse[source] = i;
            }
        }
        lastUse[nodes.Count - 1] = nodes.Count;

        var buffers = new InferenceBuffer[nodes.Count];
        InferenceBuffer BufferOf(int value) => value == NetworkPlan.NetworkInput ? inputBuffer : buffers[value];

        for (int i = 0; i < nodes.Count; i++)
        {
            PlannedLayer node = nodes[i];
            if (node.Layer.Definition().AliasesSource)
            {
                // A marker computes nothing: its value is its source's, in its source's buffer.
                buffers[i] = BufferOf(node.Sources[0]);
                continue;
            }
            if (i >= tail)
            {
                buffers[i] = InferenceBuffer.Output;
                continue;
            }
            InferenceBuffer source = BufferOf(node.Sources[0]);
            bool sourceWritable = source.IsScratch && (inputWritable || node.Sources[0] != NetworkPlan.NetworkInput || source != inputBuffer);
            if (node.Layer.Definition().MayRunInPlace && sourceWritable && lastUse[node.Sources[0]] == i)
            {
                buffers[i] = source;
                continue;
            }
            // The scratch buffers holding a value still to be read, this node's own inputs included.
            var occupied = new HashSet<int>();
            foreach (KeyValuePair<int, int> use in lastUse)
            {
                if (use.Key < i && use.Value >= i && BufferOf(use.Key).IsScratch)
                {
                    occupied.Add(BufferOf(use.Key).Scratch);
                }
            }
            int free = 0;
            while (occupied.Contains(free))
            {
                free++;
            }
            buffers[i] = InferenceBuffer.ScratchNumber(free);
        }
        return buffers;
    }
}
