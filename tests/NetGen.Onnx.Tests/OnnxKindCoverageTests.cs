using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Interop.Tests.Networks;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Every layer kind the library declares has an ONNX form, both ways (export, then load back the same
/// weights), or a reason here why not: a kind added to the attributes fails this test until it is one or
/// the other, rather than failing a user's export.
/// </summary>
public class OnnxKindCoverageTests
{
    /// <summary>Kinds that have no ONNX form yet, each with why.</summary>
    private static readonly Dictionary<string, string> WithoutOnnxForm = new(StringComparer.Ordinal)
    {
        // Every kind has one now: the shapes and blocks (issues 17, 19) and GRU and LSTM (issue 18).
    };

    /// <summary>A network around a shape kind (issue 17), which needs an Input with channels rather than a Linear before it.</summary>
    private static readonly Dictionary<string, string> ShapeKindNetworks = new(StringComparer.Ordinal)
    {
        ["Input"] = "float: Input(3) Linear(3,4) Linear(4,2)",
        ["Conv1D"] = "float: Input(2,6) Conv1D(2,2,3,1,0,1,1) Flatten Linear(8,2)",
        ["Conv2D"] = "float: Input(1,4,4) Conv2D(1,2,3,1,0,1,1) Flatten Linear(8,2)",
        ["MaxPool1D"] = "float: Input(2,6) MaxPool1D(2,2,0) Flatten Linear(6,2)",
        ["MaxPool2D"] = "float: Input(1,4,4) MaxPool2D(2,2,0) Flatten Linear(4,2)",
        ["AvgPool1D"] = "float: Input(2,6) AvgPool1D(2,2,0) Flatten Linear(6,2)",
        ["AvgPool2D"] = "float: Input(1,4,4) AvgPool2D(2,2,0) Flatten Linear(4,2)",
        ["GlobalAvgPool"] = "float: Input(2,6) GlobalAvgPool Linear(2,2)",
        ["Flatten"] = "float: Input(2,6) Flatten Linear(12,2)",
        ["Residual"] = "float: Linear(3,4) Residual Linear(4,4) EndResidual Linear(4,2)",
        ["EndResidual"] = "float: Linear(3,4) Residual Linear(4,4) EndResidual Linear(4,2)",
    };

    /// <summary>Every layer attribute of the library (not [Network], not a loss), by the kind's name.</summary>
    public static TheoryData<string> LayerKinds
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (Type type in typeof(NetworkAttribute).Assembly.GetExportedTypes()
                .Where(t => t.Namespace == "NetGen" && typeof(Attribute).IsAssignableFrom(t) && t != typeof(NetworkAttribute) && !t.Name.EndsWith("LossAttribute", StringComparison.Ordinal))
                .OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                data.Add(type.Name.Substring(0, type.Name.Length - "Attribute".Length));
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void EveryKindExportsAndLoadsBackOrSaysWhyNot(string kind)
    {
        string token = kind switch
        {
            "Linear" or "GRU" or "LSTM" => kind + "(4,4)",
            "BatchNorm1D" => "BatchNorm1D(4)",
            "Dropout" => "Dropout(0.5)",
            _ => kind,
        };
        // Shape kinds and a 2-D batch norm take (channels, ...): their networks state that shape.
        string text = kind == "BatchNorm2D" ? "float: Input(4,1,1) BatchNorm2D(4) Flatten Linear(4,2)"
            : ShapeKindNetworks.TryGetValue(kind, out string? shaped) ? shaped : $"float: Linear(3,4) {token} Linear(4,2)";
        // BatchNorm keeps running statistics in Buffers, which the reference network has none of.
        INetwork<float> network = kind switch
        {
            "BatchNorm1D" => new Shaped.FOnnxBlocks(),
            "BatchNorm2D" => new Shaped.FOnnxBatchNorm2D(),
            _ => new ReferenceMlp<float>(text),
        };
        TestData.Randomize(network, seed: 5);
        if (WithoutOnnxForm.TryGetValue(kind, out string? reason))
        {
            Assert.False(string.IsNullOrWhiteSpace(reason));
            Assert.Throws<NotSupportedException>(() => TestData.Export(network));
            return;
        }

        byte[] model = TestData.Export(network);
        INetwork<float> loaded = kind switch
        {
            "BatchNorm1D" => new Shaped.FOnnxBlocks(),
            "BatchNorm2D" => new Shaped.FOnnxBatchNorm2D(),
            _ => new ReferenceMlp<float>(network.Architecture),
        };
        TestData.Load(loaded, model);
        Assert.Equal(network.Parameters, loaded.Parameters);
    }
}
