#!/bin/sh
# Unpacks the engine libraries from the jars of the "engine-natives" layer (see
# src/main/resources/layers.xml) into plain directories, so the image ships them once, unpacked,
# instead of as jars that DJL would copy into a cache on every container start.
#   unpack-natives.sh <dir with the native jars> <output dir>
# Output: tensorflow/ (TENSORFLOW_LIBRARY_PATH), pytorch/ (PYTORCH_LIBRARY_PATH),
#         onnxruntime/ (-Donnxruntime.native.path).
# The TensorFlow and PyTorch native jars hold nothing but these libraries, so they are deleted; the
# ONNX Runtime jar also holds the ai.onnxruntime classes and stays on the class path.
set -eu
jars="$1"
out="$2"
mkdir -p "$out/tensorflow" "$out/pytorch" "$out/onnxruntime"
# unzip exits non-zero when a pattern matches nothing, so a changed jar layout fails the build.
unzip -q -j -o "$jars"/tensorflow-native-*.jar 'native/lib/*' -d "$out/tensorflow"
unzip -q -j -o "$jars"/pytorch-native-*.jar 'pytorch/*/linux-x86_64/*' -d "$out/pytorch"
unzip -q -j -o "$jars"/onnxruntime*.jar 'ai/onnxruntime/native/linux-x64/*' -d "$out/onnxruntime"
rm "$jars"/tensorflow-native-*.jar "$jars"/pytorch-native-*.jar
ls -l "$out"/*
