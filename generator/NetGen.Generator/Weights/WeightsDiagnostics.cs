using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Weights;

/// <summary>What became of one network's Weights: nothing wrong (null), or the problem.</summary>
internal sealed record WeightsVerdict(string FullyQualifiedMetadataName, WeightsProblem? Problem);

/// <summary>Turns a refused bake into its diagnostic, at the network's Weights argument.</summary>
internal static class WeightsDiagnostics
{
    public static EquatableArray<DiagnosticInfo> For(ParseResult result, EquatableArray<WeightsVerdict> verdicts, EquatableArray<StringValue> additionalPaths)
    {
        NetworkSpec spec = result.Spec!;
        WeightsProblem? problem = verdicts.FirstOrDefault(v => v.FullyQualifiedMetadataName == spec.FullyQualifiedMetadataName)?.Problem;
        if (problem is null)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }
        SourceAnchor at = result.WeightsAnchor!;
        string weights = spec.Weights!;
        string name = spec.ClassName;
        DiagnosticInfo diagnostic = problem.Kind switch
        {
            WeightsProblemKind.NotFound => at.Report(DiagnosticDescriptors.WeightsFileNotFound, weights, name, NotFoundHint(weights, additionalPaths)),
            WeightsProblemKind.Ambiguous => at.Report(DiagnosticDescriptors.WeightsFileAmbiguous, weights, name, problem.Matches, problem.Detail),
            WeightsProblemKind.NotText => at.Report(DiagnosticDescriptors.WeightsFileNotText, problem.Path, name, WeightsPath.FileName(problem.Path)),
            WeightsProblemKind.NotBase64 => at.Report(DiagnosticDescriptors.WeightsFileNotBase64, problem.Path, name, problem.Detail),
            WeightsProblemKind.NotSafetensors => at.Report(DiagnosticDescriptors.WeightsFileNotSafetensors, problem.Path, name, TrimStop(problem.Detail)),
            WeightsProblemKind.DoesNotFit => at.Report(DiagnosticDescriptors.WeightsDoNotFit, problem.Path, name, TrimStop(problem.Detail)),
            WeightsProblemKind.NotFinite => at.Report(DiagnosticDescriptors.WeightsNotFinite, problem.Path, name, problem.Detail),
            WeightsProblemKind.OrderAmbiguous => at.Report(DiagnosticDescriptors.WeightsOrderAmbiguous, problem.Path, name, problem.Detail, problem.Remedy),
            WeightsProblemKind.ModuleNameNotInFile => (result.ModuleNamesAnchor ?? at).Report(DiagnosticDescriptors.WeightsModuleNameNotInFile, problem.Path, name, TrimStop(problem.Detail)),
            _ => throw new ArgumentOutOfRangeException(nameof(verdicts), problem.Kind, "A weights problem without a diagnostic."),
        };
        return new EquatableArray<DiagnosticInfo>(new[] { diagnostic });
    }

    /// <summary>
    /// What the project does have that the user may have meant: items with the same file name elsewhere
    /// (the path's folders are wrong), or the same path with ".b64" (the raw file's name was written), or
    /// none at all.
    /// </summary>
    private static string NotFoundHint(string weights, EquatableArray<StringValue> additionalPaths)
    {
        if (additionalPaths.Count == 0)
        {
            return "; the project has no AdditionalFiles items at all";
        }
        string fileName = WeightsPath.FileName(weights);
        List<string> sameName = additionalPaths.Select(p => p.Value).Where(p => string.Equals(WeightsPath.FileName(p), fileName, StringComparison.OrdinalIgnoreCase)).ToList();
        if (sameName.Count > 0)
        {
            return $"; the items named '{fileName}' are {string.Join(", ", sameName.Select(p => "'" + p + "'"))}: write Weights as the end of one of those paths";
        }
        string encoded = weights + ".b64";
        string? b64 = additionalPaths.Select(p => p.Value).FirstOrDefault(p => WeightsPath.Matches(p, encoded));
        return b64 is null ? "" : $"; '{b64}' is one: write Weights = \"{encoded}\"";
    }

    // The library's reasons end in a full stop; the message goes on after them.
    private static string TrimStop(string reason) => reason.EndsWith(".", StringComparison.Ordinal) ? reason.Substring(0, reason.Length - 1) : reason;
}
