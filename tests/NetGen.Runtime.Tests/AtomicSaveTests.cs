using System;
using System.IO;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

public class AtomicSaveTests
{
    [Fact]
    public void Saving_over_a_file_replaces_it_and_leaves_nothing_else()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ngpm");
        new SoftmaxRegression<float>(4, 3, seed: 1).SaveParameters(path);
        var second = new SoftmaxRegression<float>(4, 3, seed: 2);
        second.SaveParameters(path);
        var loaded = new SoftmaxRegression<float>(4, 3, seed: 3);
        loaded.LoadParameters(path);
        Assert.Equal(second.Parameters, loaded.Parameters);
        Assert.Equal(new[] { path }, directory.Files());
    }

    [Fact]
    public void A_write_that_fails_halfway_leaves_the_old_file_and_no_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ngpm");
        var original = new SoftmaxRegression<double>(4, 3, seed: 1);
        original.SaveParameters(path);
        byte[] before = File.ReadAllBytes(path);

        // What a full disk or a pulled network drive does: some bytes written, then an IOException.
        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100], 0, 100);
            throw new IOException("Simulated failure halfway through the write.");
        }));

        Assert.Equal("Simulated failure halfway through the write.", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, directory.Files());
    }

    [Fact]
    public void A_network_that_fails_while_being_saved_leaves_the_old_file()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ngpm");
        var network = new SoftmaxRegression<float>(4, 3, seed: 1);
        network.SaveParameters(path);
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<InvalidOperationException>(() => new FailingNetwork<float>(network).SaveParameters(path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, directory.Files());
    }

    [Fact]
    public void Saving_into_a_missing_directory_fails_and_creates_nothing()
    {
        using var directory = new TemporaryDirectory();
        var network = new SoftmaxRegression<float>(2, 2);
        Assert.Throws<DirectoryNotFoundException>(() => network.SaveParameters(Path.Combine(directory.Path, "missing", "model.ngpm")));
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }
}
