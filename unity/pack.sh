#!/usr/bin/env bash
# Writes NetGen as a Unity package (UPM) into <folder>, which a Unity user adds with the Package
# Manager's "Add package from disk..." (pick <folder>/package.json) or commits to a repository and adds
# by git URL. unity/README.md (copied into the package) says what is inside and why.
#   bash unity/pack.sh <folder>
# The package's files come from unity/package (text, templates) and from the Release builds of
# src/NetGen (netstandard2.1) and generator/NetGen.Generator, which this script builds. Every file and
# folder Unity imports gets a .meta whose GUID is derived from the package name and the file's path, so
# that two runs (and two machines) write the same GUIDs: Unity ties references to a GUID, and a GUID that
# changed between versions of the package would break every scene and asset that points into it.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 <folder>" >&2; exit 2; }
out=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
name=com.netgen.netgen

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)
[ -n "$version" ] || { echo "no <Version> in Directory.Build.props" >&2; exit 1; }
unsafe_version=$(sed -n 's:.*"System.Runtime.CompilerServices.Unsafe" Version="\([^"]*\)".*:\1:p' "$repo/Directory.Packages.props")

# The two builds the package carries.
dotnet build "$repo/src/NetGen/NetGen.csproj" -c Release -f netstandard2.1 --nologo -v quiet >&2
dotnet build "$repo/generator/NetGen.Generator/NetGen.Generator.csproj" -c Release --nologo -v quiet >&2
library="$repo/src/NetGen/bin/Release/netstandard2.1"
generator="$repo/generator/NetGen.Generator/bin/Release/netstandard2.0/NetGen.Generator.dll"
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
unsafe="$packages/system.runtime.compilerservices.unsafe/$unsafe_version/lib/netstandard2.0/System.Runtime.CompilerServices.Unsafe.dll"
[ -f "$unsafe" ] || { echo "System.Runtime.CompilerServices.Unsafe $unsafe_version is not restored at $unsafe" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
cp -R "$here/package/." "$out/"
sed -i "s/@VERSION@/$version/g" "$out/package.json" "$out/Runtime/NetGenPackage.cs" "$out/CHANGELOG.md"
# Documentation~: the README's Unity section, the one place it is written.
mkdir -p "$out/Documentation~"
awk '/^## Unity$/ { on = 1 } on && /^## / && !/^## Unity$/ { exit } on' "$repo/README.md" > "$out/Documentation~/NetGen.md"
[ -s "$out/Documentation~/NetGen.md" ] || { echo "README.md has no '## Unity' section" >&2; exit 1; }
cp "$library/NetGen.dll" "$library/NetGen.xml" "$out/Runtime/"
cp "$unsafe" "$out/Runtime/"
mkdir -p "$out/Runtime/Generator"
cp "$generator" "$out/Runtime/Generator/"

# A GUID from the package name and the path: 32 hex digits, as Unity writes them.
guid() { printf '%s' "$name/$1" | md5sum | cut -c1-32; }

# The importer settings of a managed plugin enabled everywhere (Editor and every player).
plugin_meta() {
  cat <<META
fileFormatVersion: 2
guid: $(guid "$1")
PluginImporter:
  externalObjects: {}
  serializedVersion: 2
  iconMap: {}
  executionOrder: {}
  defineConstraints: []
  isPreloaded: 0
  isOverridable: 0
  isExplicitlyReferenced: 0
  validateReferences: 1
  platformData:
  - first:
      Any: 
    second:
      enabled: 1
      settings: {}
  - first:
      Editor: Editor
    second:
      enabled: 0
      settings:
        DefaultValueInitialized: true
  userData: 
  assetBundleName: 
  assetBundleVariant: 
META
}

# A source generator, as Unity's manual asks: the RoslynAnalyzer label, and enabled on no platform
# (neither "Any" nor the Editor nor a player), so that Unity hands it to the compiler and loads it nowhere.
analyzer_meta() {
  cat <<META
fileFormatVersion: 2
guid: $(guid "$1")
labels:
- RoslynAnalyzer
PluginImporter:
  externalObjects: {}
  serializedVersion: 2
  iconMap: {}
  executionOrder: {}
  defineConstraints: []
  isPreloaded: 0
  isOverridable: 0
  isExplicitlyReferenced: 0
  validateReferences: 1
  platformData:
  - first:
      : Any
    second:
      enabled: 0
      settings:
        Exclude Editor: 1
        Exclude Linux64: 1
        Exclude OSXUniversal: 1
        Exclude Win: 1
        Exclude Win64: 1
  - first:
      Any: 
    second:
      enabled: 0
      settings: {}
  - first:
      Editor: Editor
    second:
      enabled: 0
      settings:
        CPU: AnyCPU
        DefaultValueInitialized: true
        OS: AnyOS
  - first:
      Standalone: Linux64
    second:
      enabled: 0
      settings:
        CPU: None
  - first:
      Standalone: OSXUniversal
    second:
      enabled: 0
      settings:
        CPU: None
  - first:
      Standalone: Win
    second:
      enabled: 0
      settings:
        CPU: None
  - first:
      Standalone: Win64
    second:
      enabled: 0
      settings:
        CPU: None
  userData: 
  assetBundleName: 
  assetBundleVariant: 
META
}

simple_meta() {
  local importer=$2
  printf 'fileFormatVersion: 2\nguid: %s\n' "$(guid "$1")"
  case "$importer" in
    folder) printf 'folderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n' ;;
    MonoImporter) printf 'MonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  defaultReferences: []\n  executionOrder: 0\n  icon: {instanceID: 0}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n' ;;
    *) printf '%s:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n' "$importer" ;;
  esac
}

# Every file and folder Unity imports: not the folders ending in "~" (Unity skips them and their
# contents), and not the .meta files themselves.
cd "$out"
find . -mindepth 1 \( -name '*~' -prune \) -o -print | sed 's:^\./::' | sort | while read -r path; do
  case "$path" in
    *.meta) continue ;;
  esac
  if [ -d "$path" ]; then
    simple_meta "$path" folder
  else
    case "$path" in
      Runtime/Generator/*.dll) analyzer_meta "$path" ;;
      *.dll) plugin_meta "$path" ;;
      *.cs) simple_meta "$path" MonoImporter ;;
      *.asmdef) simple_meta "$path" AssemblyDefinitionImporter ;;
      package.json) simple_meta "$path" PackageManifestImporter ;;
      *.md|*.xml|*.txt|*.json) simple_meta "$path" TextScriptImporter ;;
      *) simple_meta "$path" DefaultImporter ;;
    esac
  fi > "$path.meta"
done
echo "$out: $name $version"
