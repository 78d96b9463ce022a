#!/usr/bin/env bash
# Package smoke test: packs NetGen as a release would, checks that it carries every Roslyn component of
# the repository under analyzers/dotnet/cs and nothing else there, then uses it as a stranger would,
# from a fresh folder outside the repository: a console app (net10.0) trains XOR with a network it
# declares, and a Unity-style library (netstandard2.1, C# 9) declares a double network that the app
# also runs; a .NET Framework 4.7.2 app (C# 9) gets the netstandard2.0 build and its dependencies from
# the package and runs on Mono. All build with warnings as errors, and the generator's files must be
# where README.md says they land. Any failure fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
feed="$work/feed"

# A version no earlier run used, so that no cached NetGen can stand in for this one.
version="0.1.0-smoke.$(date +%s).$$"

echo "== packing NetGen $version"
dotnet pack "$repo/src/NetGen" -c Release -o "$feed" -p:PackageVersion="$version" --nologo -v quiet
package="$feed/NetGen.$version.nupkg"
[ -f "$package" ] || { echo "no package at $package" >&2; exit 1; }

echo "== package layout"
unzip -Z1 "$package" | sort | tee "$work/layout.txt"
for expected in lib/net8.0/NetGen.dll lib/netstandard2.1/NetGen.dll lib/netstandard2.0/NetGen.dll PACKAGE.md; do
  grep -qx "$expected" "$work/layout.txt" || { echo "missing from the package: $expected" >&2; exit 1; }
done

# netstandard2.0 lacks spans, Vector<T> and MathF: its group must bring the packages that have them.
echo "== netstandard2.0 dependencies"
unzip -p "$package" NetGen.nuspec | tr -d '\r' | sed -n '/targetFramework=".NETStandard2.0"/,/<\/group>/p' | tee "$work/ns20.txt"
for dependency in System.Memory System.Numerics.Vectors System.Runtime.CompilerServices.Unsafe Microsoft.Bcl.Numerics; do
  grep -q "id=\"$dependency\"" "$work/ns20.txt" || { echo "the netstandard2.0 group does not depend on $dependency" >&2; exit 1; }
done

# The analyzers it must carry, derived rather than listed: every project of the repository that MSBuild
# says is a Roslyn component (IsRoslynComponent), by its output file name. The text search only picks
# the candidates to evaluate; evaluating every project would take a minute.
echo "== analyzers the package must carry"
: > "$work/analyzers-expected.txt"
while IFS= read -r project; do
  properties=$(dotnet msbuild "$project" -getProperty:IsRoslynComponent -getProperty:TargetFileName)
  if grep -q '"IsRoslynComponent": "true"' <<<"$properties"; then
    file=$(grep -o '"TargetFileName": "[^"]*"' <<<"$properties" | cut -d'"' -f4)
    echo "analyzers/dotnet/cs/$file" >> "$work/analyzers-expected.txt"
  fi
done < <(grep -rl --include='*.csproj' --exclude-dir=bin --exclude-dir=obj 'IsRoslynComponent' "$repo" | sort)
sort -o "$work/analyzers-expected.txt" "$work/analyzers-expected.txt"
sed 's/^/   /' "$work/analyzers-expected.txt"
[ -s "$work/analyzers-expected.txt" ] || { echo "found no Roslyn component in the repository" >&2; exit 1; }
grep '^analyzers/' "$work/layout.txt" | sort > "$work/analyzers-packed.txt"
if ! diff -u "$work/analyzers-expected.txt" "$work/analyzers-packed.txt" >&2; then
  echo "the package's analyzers/ differs from the repository's Roslyn components (- expected, + packed)" >&2
  exit 1
fi
if grep -q '^lib/.*Generator' "$work/layout.txt" || unzip -p "$package" NetGen.nuspec | grep -qi 'dependency id="NetGen.Generator"'; then
  echo "the generator must ship only as an analyzer, never as a library or a dependency" >&2
  exit 1
fi

# The consumer restores into a packages folder of its own, so that nothing stale is read and no smoke
# version is left in the user's cache. Only the consumer: set before the pack, it would also move the
# repository's own restore (its obj/project.assets.json) to this temporary folder.
export NUGET_PACKAGES="$work/packages"
mkdir -p "$work/consumer"
cd "$work/consumer"
# Stop MSBuild's upward search for Directory.*.props here, whatever lies above the temporary folder.
echo '<Project />' > Directory.Build.props
echo '<Project />' > Directory.Build.targets
echo '<Project />' > Directory.Packages.props
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML

mkdir UnityLib App
cat > UnityLib/UnityLib.csproj <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.1</TargetFramework>
    <LangVersion>9</LangVersion>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="NetGen" Version="$version" />
  </ItemGroup>
</Project>
PROJECT
cat > UnityLib/Thresholds.cs <<'CS'
using NetGen;

// Global namespace, double, no loss: compiled at C# 9 against netstandard2.1, as Unity would.
[Network(typeof(double))]
[Linear(2, 4)]
[ReLU]
[Linear(4, 1)]
public partial class ThresholdNet { }
CS

cat > App/App.csproj <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="NetGen" Version="$version" />
    <ProjectReference Include="../UnityLib/UnityLib.csproj" />
  </ItemGroup>
</Project>
PROJECT
cat > App/Program.cs <<'CS'
using NetGen;

float[] inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
int[] labels = { 0, 1, 1, 0 };

var xor = new XorNet();
xor.InitializeParameters(seed: 1);
float loss = 0;
for (int step = 0; step < 2000; step++)
{
    loss = xor.TrainStep(inputs, labels, learningRate: 0.5f);
}
int correct = 0;
for (int sample = 0; sample < 4; sample++)
{
    int predicted = xor.Predict(inputs.AsSpan(sample * 2, 2));
    Console.WriteLine($"{inputs[sample * 2]} xor {inputs[sample * 2 + 1]} -> {predicted}");
    correct += predicted == labels[sample] ? 1 : 0;
}
Console.WriteLine($"loss {loss:F5}, {correct}/4 correct");

// The library's network, generated in the netstandard2.1 project, runs here too.
INetwork<double> threshold = new ThresholdNet();
var output = new double[1];
threshold.Forward(new double[] { 0.5, -0.5 }, output);
Console.WriteLine($"{threshold.Architecture}: {output[0]:F4}");

return correct == 4 && double.IsFinite(output[0]) ? 0 : 1;

[Network] [Linear(2, 8)] [ReLU] [Linear(8, 2)] [Softmax] [CrossEntropyLoss]
public partial class XorNet { }
CS

echo "== building and running a fresh consumer of NetGen $version"
dotnet build App/App.csproj -c Release --nologo -v quiet

# The generator from the package ran on both projects: its files are where README.md says a user finds
# them (obj/<configuration>/<framework>/generated/<assembly>/<generator type>/), one per network.
echo "== files the generator wrote"
for generated in \
  App/obj/Release/net10.0/generated/NetGen.Generator/NetGen.Generator.NetworkGenerator/XorNet.g.cs \
  UnityLib/obj/Release/netstandard2.1/generated/NetGen.Generator/NetGen.Generator.NetworkGenerator/ThresholdNet.g.cs; do
  [ -f "$generated" ] && head -n 1 "$generated" | grep -q '// <auto-generated/>' \
    || { echo "the generator did not write $generated" >&2; find . -path '*/generated/*' >&2; exit 1; }
  echo "   $generated"
done

dotnet run --project App/App.csproj -c Release --no-build

# .NET Framework, as a desktop app has it: the package's netstandard2.0 build with its dependencies,
# C# 9 (NG0030 would stop C# 7.3), no nullable context; run on Debian's Mono.
mkdir FrameworkApp
cat > FrameworkApp/FrameworkApp.csproj <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net472</TargetFramework>
    <LangVersion>9.0</LangVersion>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="NetGen" Version="$version" />
    <PackageReference Include="Microsoft.NETFramework.ReferenceAssemblies" Version="1.0.3" PrivateAssets="all" />
  </ItemGroup>
</Project>
PROJECT
cat > FrameworkApp/Program.cs <<'CS'
using System;
using NetGen;

public static class Program
{
    public static int Main()
    {
        float[] inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
        int[] labels = { 0, 1, 1, 0 };
        var xor = new FrameworkXorNet();
        xor.InitializeParameters(seed: 1);
        var trainer = new ClassifierTrainer<float>(xor, new AdamOptimizer<float>(xor, 0.05f), new TrainerOptions { Epochs = 300, BatchSize = 4, Seed = 1 });
        TrainingResult result = trainer.Fit(inputs, labels);
        int correct = 0;
        for (int sample = 0; sample < 4; sample++)
        {
            correct += xor.Predict(inputs.AsSpan(sample * 2, 2)) == labels[sample] ? 1 : 0;
        }
        Console.WriteLine($"{result.Message} {correct}/4 correct on {(Type.GetType("Mono.Runtime") is null ? ".NET Framework" : "Mono")}");
        return correct == 4 ? 0 : 1;
    }
}

[Network] [Linear(2, 8)] [ReLU] [Linear(8, 2)] [Softmax] [CrossEntropyLoss]
public partial class FrameworkXorNet { }
CS
echo "== building a .NET Framework consumer of NetGen $version and running it on Mono"
dotnet build FrameworkApp/FrameworkApp.csproj -c Release --nologo -v quiet
for dll in NetGen System.Memory System.Numerics.Vectors System.Runtime.CompilerServices.Unsafe Microsoft.Bcl.Numerics; do
  [ -f "FrameworkApp/bin/Release/net472/$dll.dll" ] || { echo "$dll.dll is not beside the .NET Framework app" >&2; exit 1; }
done
bash "$repo/.ci/mono.sh" install
mono FrameworkApp/bin/Release/net472/FrameworkApp.exe
