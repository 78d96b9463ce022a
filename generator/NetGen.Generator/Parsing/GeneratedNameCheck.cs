using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emission;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// NG0031: a member the user declares in a network class that the generated part also declares (a
/// field <c>Parameters</c>, a nested class <c>Kernels</c>, a method <c>Predict(ReadOnlySpan&lt;float&gt;)</c>),
/// which would otherwise surface as the compiler's duplicate-member errors inside the generated file.
/// Overloads are fine: a method clashes only with a generated method of the same parameter types, or with
/// a generated member that is not a method. The generated members are read from the generated text itself,
/// so the check cannot drift from the emitter; the text is only made for classes that declare members,
/// which most network classes do not.
/// </summary>
internal static class GeneratedNameCheck
{
    /// <summary>How <see cref="PossibleNames"/> lists a generated constructor.</summary>
    public const string ConstructorName = ".ctor";

    /// <summary>
    /// Every name the emitter gives a member of a network class, in any network: the fast path. A class
    /// none of whose members is named so cannot clash, and the check emits nothing for it, which keeps
    /// the parse step (run on every edit of the file) cheap for classes with helpers of their own.
    /// GeneratedNameCheckTests holds this list to what the emitter writes, for every layer kind and option.
    /// </summary>
    public static readonly HashSet<string> PossibleNames = new(System.StringComparer.Ordinal)
    {
        "Architecture", "ArchitectureText", "Backward", "BackwardFromTargets", "BakedParameterBytes", "BufferCount", "Buffers",
        "CopyBakedParameters", "CreateInitialBuffers", "CreateInitialParameters", "Describe", "FillInitialBuffers", "FillInitialParameters", "Forward",
        "Gradients", "InitializeParameters", "InputSize", "Kernels", "Loss", "OutputSize", "ParameterCount",
        "Parameters", "Predict", "Prepare", "ResetToBakedParameters", "TrainStep", "WorkspacePerSample",
        "_dropoutState", "_workspace", "_workspaceSamples",
    };

    /// <summary>
    /// The members only a network with baked weights has. The check emits without the weights (the file is
    /// read later in the pipeline), so these stand in for the emitter there; GeneratedNameCheckTests holds
    /// them to what a baked network adds over the same network unbaked.
    /// </summary>
    public static readonly HashSet<string> BakedOnlyNames = new(System.StringComparer.Ordinal)
    {
        "BakedParameterBytes", "CopyBakedParameters", "ResetToBakedParameters",
    };

    public static void Check(NetworkSpec spec, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        ISymbol[] declared = type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m.Locations.Any(l => l.IsInSource))
            .Concat(type.GetTypeMembers().Where(t => t.Locations.Any(l => l.IsInSource)))
            .Distinct(SymbolEqualityComparer.Default)
            .Where(m => PossibleNames.Contains(m is IMethodSymbol { MethodKind: MethodKind.Constructor } ? ConstructorName : m.Name))
            .ToArray();
        if (declared.Length == 0)
        {
            return;
        }

        Dictionary<string, List<GeneratedMember>> generated = GeneratedMembers(spec, cancellationToken);
        foreach (ISymbol member in declared)
        {
            if (member is IMethodSymbol { MethodKind: not (MethodKind.Ordinary or MethodKind.Constructor) })
            {
                continue; // accessors, operators and the like are named after what they belong to
            }

            string name = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? type.Name : member.Name;
            GeneratedMember? clash;
            if (generated.TryGetValue(name, out List<GeneratedMember>? sameName))
            {
                clash = member is IMethodSymbol method
                    ? sameName.FirstOrDefault(g => !g.IsMethod || g.ParameterTypes.SequenceEqual(method.Parameters.Select(ParameterType)))
                    : sameName[0];
            }
            else
            {
                // Any member of these names, overload or not: NetGen's own members of baked networks use them.
                clash = spec.Weights is not null && BakedOnlyNames.Contains(name) ? new GeneratedMember(false, new string[0], "baked-weights member " + name) : null;
            }

            if (clash is null)
            {
                continue;
            }

            Location location = member.Locations.First(l => l.IsInSource);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberClashesWithGenerated, location.SourceTree!, location.SourceSpan,
                new object[] { Describe(member), type.Name, clash.Description }));
        }
    }

    /// <summary>
    /// NG0034: a network class named like a member its generated part declares (<c>class Forward</c>,
    /// <c>class Parameters</c>, <c>class Kernels</c>), which C# rejects in the generated file (CS0542:
    /// a member may not be named like its enclosing type). The public members are the contract and the
    /// private ones are what they are built from, so the class is what must be renamed. Costs nothing
    /// for a class whose name no network's members have.
    /// </summary>
    public static void CheckClassName(NetworkSpec spec, INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (!PossibleNames.Contains(type.Name))
        {
            return;
        }
        string? clash = spec.Weights is not null && BakedOnlyNames.Contains(type.Name)
            ? "baked-weights member " + type.Name
            : GeneratedMembers(spec, cancellationToken).TryGetValue(type.Name, out List<GeneratedMember>? members) ? ShortDescription(members[0]) : null;
        if (clash is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNamedLikeGeneratedMember, declaration.Identifier, type.Name, clash));
        }
    }

    /// <summary><c>method Forward</c> rather than the whole signature: the class's name is what matters.</summary>
    private static string ShortDescription(GeneratedMember member)
    {
        int parenthesis = member.Description.IndexOf('(');
        return parenthesis < 0 ? member.Description : member.Description.Substring(0, parenthesis);
    }

    private sealed record GeneratedMember(bool IsMethod, string[] ParameterTypes, string Description);

    /// <summary>The members of the network class in the generated text, by name (not those of its nested classes).</summary>
    private static Dictionary<string, List<GeneratedMember>> GeneratedMembers(NetworkSpec spec, CancellationToken cancellationToken)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(NetworkEmitter.Emit(spec, baked: null), cancellationToken: cancellationToken);
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
                    Add(className, new GeneratedMember(true, constructorParameters, $"constructor {className}({string.Join(", ", constructorParameters)})"));
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
