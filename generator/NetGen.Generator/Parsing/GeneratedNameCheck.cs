using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// NG0031: a member the user declares in a network class that the generated part also declares (a
/// field <c>Parameters</c>, a nested class <c>Kernels</c>, a method <c>Predict(ReadOnlySpan&lt;float&gt;)</c>),
/// which would otherwise surface as the compiler's duplicate-member errors inside the generated file.
/// Overloads are fine: a method clashes only with a generated method of the same parameter types, or with
/// a generated member that is not a method.
/// <para>
/// The check runs in two halves so that the parse step never runs the emitter. The parse step records, as
/// data, the user's members whose names some network generates (<see cref="Collect"/>: usually none). The
/// output step, which emits the network's text anyway, reads the generated members from that text and
/// compares (<see cref="Find"/>), so the check cannot drift from the emitter, baked networks' own members
/// included; on a clash it reports instead of adding a file the compiler would reject.
/// </para>
/// </summary>
internal static class GeneratedNameCheck
{
    /// <summary>How <see cref="PossibleNames"/> lists a generated constructor.</summary>
    public const string ConstructorName = ".ctor";

    /// <summary>
    /// Every name the emitter gives a member of a network class, in any network: the fast path. A class
    /// none of whose members is named so cannot clash, and the parse step records nothing for it, which keeps
    /// the parse step (run on every edit of the file) cheap for classes with helpers of their own.
    /// GeneratedNameCheckTests holds this list to what the emitter writes, for every layer kind and option.
    /// </summary>
    public static readonly HashSet<string> PossibleNames = new(System.StringComparer.Ordinal)
    {
        "Architecture", "ArchitectureText", "Backward", "BackwardFromTargets", "BakedParameterBytes", "BufferCount", "Buffers",
        "CopyBakedParameters", "CreateInitialBuffers", "CreateInitialParameters", "Describe", "FillInitialBuffers", "FillInitialParameters", "Forward", "Freeze", "Frozen",
        "Gradients", "InitializeParameters", "InputSize", "Kernels", "Loss", "OutputSize", "ParameterCount",
        "Parameters", "Predict", "Prepare", "ResetState", "ResetToBakedParameters", "StateSize", "Step", "TrainStep",
        "WorkspacePerSample", "_dropoutState", "_workspace", "_workspaceSamples",
    };

    /// <summary>
    /// The parse step's half: the members of <paramref name="type"/> the user declared whose names some
    /// network generates, and the class's own name where a network generates a member of that name (NG0034).
    /// Empty for nearly every class, so it costs the cached parse result nothing.
    /// </summary>
    public static UserMembers Collect(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
    {
        var members = new List<UserMember>();
        IEnumerable<ISymbol> declared = type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m.Locations.Any(l => l.IsInSource))
            .Concat(type.GetTypeMembers().Where(t => t.Locations.Any(l => l.IsInSource)))
            .Distinct(SymbolEqualityComparer.Default);
        foreach (ISymbol member in declared)
        {
            if (member is IMethodSymbol { MethodKind: not (MethodKind.Ordinary or MethodKind.Constructor) })
            {
                continue; // accessors, operators and the like are named after what they belong to
            }

            bool isConstructor = member is IMethodSymbol { MethodKind: MethodKind.Constructor };
            if (!PossibleNames.Contains(isConstructor ? ConstructorName : member.Name))
            {
                continue;
            }

            Location location = member.Locations.First(l => l.IsInSource);
            IEnumerable<StringValue> parameters = member is IMethodSymbol method ? method.Parameters.Select(p => new StringValue(ParameterType(p))) : Enumerable.Empty<StringValue>();
            members.Add(new UserMember(isConstructor ? type.Name : member.Name, member is IMethodSymbol, new EquatableArray<StringValue>(parameters), Describe(member),
                new SourceAnchor(location.SourceTree!, location.SourceSpan)));
        }

        SourceAnchor? className = PossibleNames.Contains(type.Name) ? new SourceAnchor(declaration.SyntaxTree, declaration.Identifier.Span) : null;
        return new UserMembers(new EquatableArray<UserMember>(members), className);
    }

    /// <summary>
    /// The output step's half: NG0031 for each of <paramref name="user"/>'s members that clashes with a
    /// member of <paramref name="generatedText"/>, the network's emitted file, and NG0034 where the class
    /// itself is named like one of them. Empty when nothing clashes (and without reading the text when
    /// the class declared nothing of interest).
    /// </summary>
    public static List<Diagnostic> Find(string generatedText, NetworkSpec spec, UserMembers user, CancellationToken cancellationToken)
    {
        var clashes = new List<Diagnostic>();
        if (user.Members.Count == 0 && user.ClassName is null)
        {
            return clashes;
        }

        Dictionary<string, List<GeneratedMember>> generated = GeneratedMembers(generatedText, spec, cancellationToken);
        string className = spec.ClassName.TrimStart('@');
        if (user.ClassName is not null && generated.TryGetValue(className, out List<GeneratedMember>? named) && named.Any(m => !m.IsConstructor))
        {
            clashes.Add(user.ClassName.Report(DiagnosticDescriptors.ClassNamedLikeGeneratedMember, className, ShortDescription(named.First(m => !m.IsConstructor))).ToDiagnostic());
        }

        foreach (UserMember member in user.Members)
        {
            if (!generated.TryGetValue(member.Name, out List<GeneratedMember>? sameName))
            {
                continue;
            }

            GeneratedMember? clash = member.IsMethod
                ? sameName.FirstOrDefault(g => !g.IsMethod || g.ParameterTypes.SequenceEqual(member.ParameterTypes.Select(t => t.Value)))
                : sameName[0];
            if (clash is not null)
            {
                clashes.Add(member.Anchor.Report(DiagnosticDescriptors.MemberClashesWithGenerated, member.Description, className, clash.Description).ToDiagnostic());
            }
        }

        return clashes;
    }

    /// <summary><c>method Forward</c> rather than the whole signature: the class's name is what matters.</summary>
    private static string ShortDescription(GeneratedMember member)
    {
        int parenthesis = member.Description.IndexOf('(');
        return parenthesis < 0 ? member.Description : member.Description.Substring(0, parenthesis);
    }

    private sealed record GeneratedMember(bool IsMethod, string[] ParameterTypes, string Description, bool IsConstructor = false);

    /// <summary>The members of the network class in the generated text, by name (not those of its nested classes).</summary>
    private static Dictionary<string, List<GeneratedMember>> GeneratedMembers(string generatedText, NetworkSpec spec, CancellationToken cancellationToken)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(generatedText, cancellationToken: cancellationToken);
        string className = spec.ClassName.TrimStart('@');
        ClassDeclarationSyntax network = tree.GetRoot(cancellationToken).DescendantNodes()
            .OfType<ClassDeclarationSyntax>()
            .First(c => c.Identifier.ValueText == className);

        var members = new Dictionary<string, List<GeneratedMember>>();
        void Add(string name, GeneratedMember member)
        {
            if (!members.TryGetValue(name, out List<GeneratedMember>? list)) members[name] = list = new List<GeneratedMember>();
            list.Add(member);
        }

        foreach (MemberDeclarationSyntax member in network.Members)
        {
            switch (member)
            {
                case MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method:
                    string[] parameters = method.ParameterList.Parameters.Select(p => Normalise(p)).ToArray();
                    Add(method.Identifier.ValueText, new GeneratedMember(true, parameters, $"method {method.Identifier.ValueText}({string.Join(", ", parameters)})"));
                    break;
                case ConstructorDeclarationSyntax constructor:
                    string[] constructorParameters = constructor.ParameterList.Parameters.Select(p => Normalise(p)).ToArray();
                    Add(className, new GeneratedMember(true, constructorParameters, $"constructor {className}({string.Join(", ", constructorParameters)})", IsConstructor: true));
                    break;
                case PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property:
                    Add(property.Identifier.ValueText, new GeneratedMember(false, new string[0], "property " + property.Identifier.ValueText));
                    break;
                case BaseFieldDeclarationSyntax field:
                    foreach (VariableDeclaratorSyntax variable in field.Declaration.Variables)
                    {
                        string kind = field.Modifiers.Any(SyntaxKind.ConstKeyword) ? "constant " : "field ";
                        Add(variable.Identifier.ValueText, new GeneratedMember(false, new string[0], kind + variable.Identifier.ValueText));
                    }
                    break;
                case BaseTypeDeclarationSyntax nested:
                    Add(nested.Identifier.ValueText, new GeneratedMember(false, new string[0], "nested type " + nested.Identifier.ValueText));
                    break;
                case MethodDeclarationSyntax or PropertyDeclarationSyntax:
                    break; // explicit interface implementations: callable only through the interface, so nothing of the user's clashes
                default:
                    throw new System.InvalidOperationException($"The generated class has a member of a kind NG0031 does not know ({member.Kind()}): teach GeneratedNameCheck its name.");
            }
        }
        return members;
    }

    /// <summary>A parameter's type as the generated text writes it (global::-qualified, keywords for special types), with its ref kind.</summary>
    private static string Normalise(ParameterSyntax parameter)
    {
        string type = parameter.Type?.ToString().TrimEnd('?') ?? "";
        string modifier = string.Concat(parameter.Modifiers.Where(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword)).Select(m => m.ValueText + " "));
        return modifier + type;
    }

    private static string ParameterType(IParameterSymbol parameter)
    {
        string modifier = parameter.RefKind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            _ => "",
        };
        return modifier + parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }

    private static string Describe(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } => "constructor",
        IMethodSymbol m => $"method {m.Name}",
        IPropertySymbol p => $"property {p.Name}",
        IFieldSymbol f => f.IsConst ? $"constant {f.Name}" : $"field {f.Name}",
        IEventSymbol e => $"event {e.Name}",
        INamedTypeSymbol t => $"nested type {t.Name}",
        _ => member.Name,
    };
}

/// <summary>
/// The user's members of a network class whose names some network generates, as data (names, parameter
/// types, where each is declared), and where the class's own name is if a network generates a member of
/// that name: what the output step needs for NG0031 and NG0034. Kept in the parse result beside the spec,
/// never in it, since it holds locations.
/// </summary>
internal sealed record UserMembers(EquatableArray<UserMember> Members, SourceAnchor? ClassName)
{
    public static readonly UserMembers None = new(EquatableArray<UserMember>.Empty, null);
}

/// <summary>
/// One member the user declared: its name (a constructor's is the class's), whether it is a method and
/// its parameter types as the generated text writes them, how a diagnostic describes it, and where it is.
/// </summary>
internal sealed record UserMember(string Name, bool IsMethod, EquatableArray<StringValue> ParameterTypes, string Description, SourceAnchor Anchor);
