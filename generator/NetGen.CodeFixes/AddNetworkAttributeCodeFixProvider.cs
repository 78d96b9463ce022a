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
/// NG0016: adds <c>[Network]</c> in its own attribute list before the list holding the type's first
/// layer attribute (where the diagnostic points), on the same line or a line of its own as that list
/// is written. It is spelled <c>Network</c> where that name means NetGen's attribute, and qualified
/// where it does not (no <c>using NetGen;</c>, or another <c>NetworkAttribute</c> in scope).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddNetworkAttributeCodeFixProvider)), Shared]
public sealed class AddNetworkAttributeCodeFixProvider : CodeFixProvider
{
    private const string NetworkAttributeName = "NetGen.NetworkAttribute";

    /// <summary>The spellings tried, shortest first: the first that binds to NetGen's attribute is written.</summary>
    private static readonly string[] Spellings = { "Network", "NetGen.Network", "global::NetGen.Network" };

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LayersWithoutNetwork);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan) is not AttributeSyntax { Parent: AttributeListSyntax list }
                || list.Parent is not TypeDeclarationSyntax declaration)
            {
                continue;
            }
            string spelling = Spellings.FirstOrDefault(candidate => MeansNetGensAttribute(model, list.SpanStart, candidate)) ?? Spellings[Spellings.Length - 1];
            string title = $"Add [Network] to '{declaration.Identifier.ValueText}'";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => AddAsync(context.Document, list, spelling, cancellationToken), equivalenceKey: nameof(AddNetworkAttributeCodeFixProvider)),
                diagnostic);
        }
    }

    private static bool MeansNetGensAttribute(SemanticModel model, int position, string spelling)
    {
        AttributeSyntax attribute = SyntaxFactory.Attribute(SyntaxFactory.ParseName(spelling));
        ISymbol? constructor = model.GetSpeculativeSymbolInfo(position, attribute).Symbol;
        return constructor?.ContainingType?.ToDisplayString() == NetworkAttributeName;
    }

    private static async Task<Document> AddAsync(Document document, AttributeListSyntax list, string spelling, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var declaration = (TypeDeclarationSyntax)list.Parent!;
        int index = declaration.AttributeLists.IndexOf(list);

        // The new list takes over what led the old one (a doc comment, the indentation), so that it sits
        // where the old list began; the old list follows on its own line if it had one, else after a space.
        SyntaxTrivia[] lineEnds = list.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToArray();
        bool ownLine = lineEnds.Length > 0;
        SyntaxTriviaList indentation = SyntaxFactory.TriviaList(list.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        // Brackets with explicit trivia: SyntaxFactory's default tokens carry elastic trivia, which the
        // code action's clean-up would reformat (putting the lists on lines of their own).
        AttributeListSyntax network = SyntaxFactory.AttributeList(
            SyntaxFactory.Token(list.GetLeadingTrivia(), SyntaxKind.OpenBracketToken, SyntaxFactory.TriviaList()),
            target: null,
            SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.ParseName(spelling))),
            SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CloseBracketToken, SyntaxFactory.TriviaList(ownLine ? lineEnds[0] : SyntaxFactory.Space)));
        AttributeListSyntax moved = list.WithLeadingTrivia(ownLine ? indentation : SyntaxFactory.TriviaList());

        SyntaxList<AttributeListSyntax> lists = declaration.AttributeLists.RemoveAt(index).InsertRange(index, new[] { network, moved });
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, declaration.WithAttributeLists(lists)));
    }
}
