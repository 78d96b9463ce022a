using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
/// NG0007: rewrites a <c>[Linear(inputs, outputs)]</c>'s inputs to the width that flows into it,
/// which the generator put in the diagnostic's properties. Positional or named (<c>inputs: 16</c>),
/// a literal or an expression, the inputs argument becomes the literal width; the rest is kept.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MatchLinearInputsCodeFixProvider)), Shared]
public sealed class MatchLinearInputsCodeFixProvider : CodeFixProvider
{
    private const string InputsParameter = "inputs";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.WidthMismatch);

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
            if (!diagnostic.Properties.TryGetValue(DiagnosticIds.ExpectedInputsProperty, out string? text)
                || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int width)
                || root.FindNode(diagnostic.Location.SourceSpan) is not AttributeSyntax attribute
                || InputsArgument(attribute) is not AttributeArgumentSyntax inputs)
            {
                continue;
            }
            string title = $"Take {width.ToString(CultureInfo.InvariantCulture)} inputs, the width flowing in";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => ReplaceAsync(context.Document, inputs, width, cancellationToken), equivalenceKey: nameof(MatchLinearInputsCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary>The argument bound to <c>inputs</c>: named so, or else the first positional one.</summary>
    private static AttributeArgumentSyntax? InputsArgument(AttributeSyntax attribute)
    {
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = attribute.ArgumentList?.Arguments ?? default;
        return arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == InputsParameter)
            ?? arguments.FirstOrDefault(a => a.NameColon is null && a.NameEquals is null);
    }

    private static async Task<Document> ReplaceAsync(Document document, AttributeArgumentSyntax inputs, int width, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        ExpressionSyntax literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(width))
            .WithTriviaFrom(inputs.Expression);
        return document.WithSyntaxRoot(root.ReplaceNode(inputs.Expression, literal));
    }
}
