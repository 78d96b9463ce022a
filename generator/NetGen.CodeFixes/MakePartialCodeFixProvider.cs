using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0001 and NG0003: adds <c>partial</c> to the network class, or to the type containing it, that
/// the diagnostic points at (both point at the type's name).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.NotPartial, DiagnosticIds.ContainingTypeNotPartial);

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
            SyntaxToken name = root.FindToken(diagnostic.Location.SourceSpan.Start);
            if (name.Parent is not TypeDeclarationSyntax declaration || declaration.Identifier != name
                || declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                continue;
            }
            string title = $"Make '{name.ValueText}' partial";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => AddPartialAsync(context.Document, declaration, cancellationToken), equivalenceKey: nameof(MakePartialCodeFixProvider)),
                diagnostic);
        }
    }

    private static async Task<Document> AddPartialAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, WithPartial(declaration)));
    }

    /// <summary>
    /// The declaration with <c>partial</c> as its last modifier, where C# requires it (directly before
    /// <c>class</c>, <c>struct</c>, <c>record</c> or <c>interface</c>), keeping its layout.
    /// </summary>
    internal static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax declaration)
    {
        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count > 0)
        {
            return declaration.WithModifiers(declaration.Modifiers.Add(partial));
        }

        // No modifiers: 'partial' takes over the keyword's leading trivia (the line break and
        // indentation after the attributes), so that the line still starts where it did.
        return declaration
            .WithKeyword(declaration.Keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(declaration.Keyword.LeadingTrivia)));
    }
}
