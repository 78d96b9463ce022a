#!/usr/bin/env bash
# Package smoke test of NetGen.Onnx: packs NetGen and NetGen.Onnx, then a fresh project outside the
# repository that references NetGen.Onnx alone declares a network (so the generator must arrive through
# NetGen.Onnx's dependency on NetGen), exports it as ONNX, saves it as safetensors, loads both back and
# checks the parameters. Builds with warnings as errors; any failure fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
# A version no earlier run used, so that no cached package can stand in for this one.
version="0.1.0-smoke.$(date +%s).$$"

echo "== packing NetGen and NetGen.Onnx $version"
dotnet pack "$repo/src/NetGen" -c Release -o "$feed" -p:PackageVersion="$version" --nologo -v quiet
dotnet pack "$repo/src/NetGen.Onnx" -c Release -o "$feed" -p:PackageVersion="$version" --nologo -v quiet
package="$feed/NetGen.Onnx.$version.nupkg"
echo "== NetGen.Onnx package layout"
unzip -Z1 "$package" | sort | tee "$work/layout.txt"
for expected in lib/netstandard2.1/NetGen.Onnx.dll lib/netstandard2.1/NetGen.Onnx.xml PACKAGE.md; do
  grep -qx "$expected" "$work/layout.txt" || { echo "missing from the package: $expected" >&2; exit 1; }
done
unzip -p "$package" NetGen.Onnx.nuspec | grep -q "dependency id=\"NetGen\" version=\"$version\" include=\"All\"" \
  || { echo "NetGen.Onnx must depend on NetGen with all its assets (the generator included)" >&2; exit 1; }

export NUGET_PACKAGES="$work/packages"
mkdir -p "$work/consumer"
cd "$work/consumer"
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
cat > App.csproj <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="NetGen.Onnx" Version="$version" />
  </ItemGroup>
</Project>
PROJECT
cat > Program.cs <<'CS'
using NetGen;
using NetGen.Onnx;

var net = new SmokeNet();
net.InitializeParameters(seed: 5);
net.ExportOnnx("smoke.onnx", new OnnxExportOptions { Opset = 9 });
net.SaveSafetensors("smoke.safetensors");
var fromOnnx = new SmokeNet();
fromOnnx.LoadOnnxWeights("smoke.onnx");
var fromSafetensors = new SmokeNet();
fromSafetensors.LoadSafetensors("smoke.safetensors");
bool same = fromOnnx.Parameters.SequenceEqual(net.Parameters) && fromSafetensors.Parameters.SequenceEqual(net.Parameters);
Console.WriteLine($"{net.Architecture}: ONNX ({new FileInfo("smoke.onnx").Length} bytes) and safetensors load back {(same ? "bit for bit" : "DIFFERENTLY")}");
return same ? 0 : 1;

[Network] [Linear(3, 8)] [ReLU] [Linear(8, 2)] [Softmax] [CrossEntropyLoss]
public partial class SmokeNet { }
CS

echo "== building and running a fresh consumer of NetGen.Onnx $version"
dotnet build App.csproj -c Release --nologo -v quiet
dotnet run --project App.csproj -c Release --no-build
