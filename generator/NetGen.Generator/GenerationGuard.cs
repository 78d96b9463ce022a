using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator;

/// <summary>
/// Keeps one network's failure to itself. An exception escaping a generator's step makes Roslyn drop
/// everything the generator produces (CS8785): every network's code and every NG diagnostic, in the
/// whole project. So each network's parse and each network's emission run inside a guard that turns an
/// unexpected exception into NG0033 on that network, and the others are generated as usual.
/// Cancellation is not a failure and passes through.
/// </summary>
internal static class GenerationGuard
{
    /// <summary>The parse of one declaration; on an exception, no spec and NG0033 on the class's name.</summary>
    public static ParseResult Parse(Func<ParseResult> parse, TypeDeclarationSyntax declaration)
    {
        try
        {
            return parse();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            DiagnosticInfo failure = DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailed, declaration.Identifier,
                declaration.Identifier.ValueText, exception.GetType().Name, exception.Message);
            return new ParseResult(null, new EquatableArray<DiagnosticInfo>(new[] { failure }));
        }
    }

    /// <summary>
    /// Emits and adds one network's source; on an exception (in the emitter, or Roslyn refusing the file),
    /// reports NG0033 naming the network instead. The spec holds no location (it would change with every
    /// edit above the class and regenerate it), so this one diagnostic has none: its message names the class.
    /// </summary>
    public static void Emit(string metadataName, Action addSource, Action<Diagnostic> report)
    {
        try
        {
            addSource();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            report(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailed, Location.None, metadataName, exception.GetType().Name, exception.Message));
        }
    }
}
