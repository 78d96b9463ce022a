using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The catalogue of diagnostics is kept in three places: DiagnosticDescriptors, README.md's headings
/// (which every help link points at) and AnalyzerReleases.*.md (which the RS2000-series analyzers
/// check at build time). These tests hold the first two together: one README heading per id, and
/// each descriptor's help link ending in the anchor GitHub gives that heading.
/// </summary>
public class DiagnosticCatalogueTests
{
    private static readonly Regex IdHeading = new(@"^### (NG\d{4}): (.+)$", RegexOptions.Multiline);

    [Fact]
    public void AllListsEveryDescriptorOnceInIdOrder()
    {
        // Fields, not names: a descriptor added without joining All fails here rather than going unchecked.
        DiagnosticDescriptor[] fields = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
            .ToArray();

        Assert.Equal(fields.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), DiagnosticDescriptors.All.Select(d => d.Id));
        Assert.Equal(DiagnosticDescriptors.All.Length, DiagnosticDescriptors.All.Select(d => d.Id).Distinct().Count());
        Assert.NotEmpty(fields);
    }

    [Fact]
    public void EveryDescriptorsHelpLinkIsTheAnchorOfItsReadmeHeading()
    {
        Dictionary<string, string> headings = ReadmeHeadings();

        Assert.All(DiagnosticDescriptors.All, descriptor =>
        {
            Assert.True(headings.TryGetValue(descriptor.Id, out string? heading), $"README.md has no '### {descriptor.Id}: ...' heading");
            Assert.Equal($"{descriptor.Id}: {descriptor.Title}", heading);
            string[] link = descriptor.HelpLinkUri.Split('#');
            Assert.Equal(2, link.Length);
            Assert.EndsWith("/README.md", link[0], StringComparison.Ordinal);
            Assert.Equal(GitHubSlug(heading!), link[1]);
        });
        Assert.Single(DiagnosticDescriptors.All.Select(d => d.HelpLinkUri.Split('#')[0]).Distinct());
    }

    [Fact]
    public void EveryReadmeHeadingOfAnIdHasADescriptor()
    {
        HashSet<string> ids = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

        Assert.All(ReadmeHeadings().Keys, id => Assert.Contains(id, ids));
    }

    [Fact]
    public void WarningsAreOnlyForAttributesNetGenIgnores()
    {
        // The README promises that a warning still lets the network generate; only these may be warnings.
        Assert.Equal(
            new[] { "NG0014", "NG0016", "NG0020", "NG0037", "NG0038" },
            DiagnosticDescriptors.All.Where(d => d.DefaultSeverity == DiagnosticSeverity.Warning).Select(d => d.Id));
        Assert.All(DiagnosticDescriptors.All, d => Assert.Contains(d.DefaultSeverity, new[] { DiagnosticSeverity.Error, DiagnosticSeverity.Warning }));
    }

    [Theory]
    [InlineData("NG0001: Network class must be partial", "ng0001-network-class-must-be-partial")]
    [InlineData("NG0015: Layers must be on the declaration with [Network]", "ng0015-layers-must-be-on-the-declaration-with-network")]
    [InlineData("NG0014: Attribute looks like a layer but is not NetGen's", "ng0014-attribute-looks-like-a-layer-but-is-not-netgens")]
    public void TheSlugIsGitHubs(string heading, string slug) => Assert.Equal(slug, GitHubSlug(heading));

    /// <summary>Heading text by id, failing on an id with two headings (GitHub would suffix the second anchor with -1).</summary>
    private static Dictionary<string, string> ReadmeHeadings()
    {
        var headings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in IdHeading.Matches(RepositoryFiles.Read("README.md")))
        {
            Assert.True(headings.TryAdd(match.Groups[1].Value, match.Groups[1].Value + ": " + match.Groups[2].Value.Trim()), $"two headings for {match.Groups[1].Value}");
        }
        Assert.NotEmpty(headings);
        return headings;
    }

    /// <summary>
    /// GitHub's anchor for a heading (github-slugger): lower case, punctuation removed (letters, digits,
    /// spaces, '-' and '_' kept), each space turned into '-'. Written independently of the generator's
    /// own derivation, so that the test checks it rather than repeats it.
    /// </summary>
    private static string GitHubSlug(string heading)
        => Regex.Replace(heading.ToLowerInvariant(), @"[^\p{L}\p{Nd}\p{Mn} _-]", string.Empty).Replace(' ', '-');
}
