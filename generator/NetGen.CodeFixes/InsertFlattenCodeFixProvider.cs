using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0053: puts a <c>[Flatten]</c> before a layer that takes a flat sample (<c>Linear</c>, <c>Softmax</c>) but is
/// given channels x length or channels x height x width. The generator checks the layer as if the Flatten
/// stood there already, so the fix adds no new error unless the Linear's inputs differ from the flattened
/// size (NG0007, which has its own fix).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFixProvider)), Shared]
public sealed class InsertFlattenCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.FlatInputNeeded);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan) is not AttributeSyntax attribute
                || attribute.Parent is not AttributeListSyntax list)
            {
                continue;
            }
            string flatten = Qualifier(attribute.Name) + "Flatten";
            TextChange change = list.Attributes.Count == 1
                // [Linear(32, 10)] becomes [Flatten] [Linear(32, 10)]: one attribute per list, as it was written.
                ? new TextChange(new TextSpan(list.SpanStart, 0), $"[{flatten}] ")
                // [ReLU, Linear(32, 10)] becomes [ReLU, Flatten, Linear(32, 10)]: the order within a list is the layers' order.
                : new TextChange(new TextSpan(attribute.SpanStart, 0), $"{flatten}, ");
            string title = $"Insert [Flatten] before [{Unqualified(attribute.Name)}]";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => InsertAsync(context.Document, change, cancellationToken), equivalenceKey: nameof(InsertFlattenCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary>How the user reached NetGen's attributes at this one (<c>NetGen.</c>, <c>global::NetGen.</c> or nothing), so the Flatten resolves the same way.</summary>
    private static string Qualifier(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Left.ToString() + ".",
        AliasQualifiedNameSyntax alias => alias.Alias.ToString() + "::",
        _ => "",
    };

    private static string Unqualified(NameSyntax name)
    {
        string text = name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => name.ToString(),
        };
        return text.EndsWith("Attribute", System.StringComparison.Ordinal) && text.Length > "Attribute".Length
            ? text.Substring(0, text.Length - "Attribute".Length)
            : text;
    }

    private static async Task<Document> InsertAsync(Document document, TextChange change, CancellationToken cancellationToken)
    {
        SourceText text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(change));
    }
}
