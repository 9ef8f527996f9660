#!/bin/sh
# Unpacks the engine libraries from the native jars of the extracted layered jar (see
# src/main/resources/layers.xml) into plain directories, so the image ships them once, unpacked,
# instead of as jars that DJL would copy into a cache on every container start.
#   unpack-natives.sh <extracted layers dir> <output dir> <pytorch flavor: cpu | cu128>
# Output: tensorflow/ (TENSORFLOW_LIBRARY_PATH), pytorch/ (PYTORCH_LIBRARY_PATH),
#         onnxruntime/ (-Donnxruntime.native.path), and engines/ (ENGINE_CACHE_DIR) holding PyTorch's
#         JNI library under the name DJL looks for before it would extract one into a writable cache.
# The TensorFlow and PyTorch native jars hold nothing but these libraries, so they are deleted; the
# ONNX Runtime jar also holds the ai.onnxruntime classes and the pytorch-jni jar tells DJL its version,
# so both stay on the class path.
set -eu
layers="$1"
out="$2"
flavor="$3"
natives="$layers/engine-natives/lib"
mkdir -p "$out/tensorflow" "$out/pytorch" "$out/onnxruntime"
# unzip exits non-zero when a pattern matches nothing, so a changed jar layout fails the build.
unzip -q -j -o "$natives"/tensorflow-native-*.jar 'native/lib/*' -d "$out/tensorflow"
unzip -q -j -o "$natives"/pytorch-native-*.jar 'pytorch/*/linux-x86_64/*' -d "$out/pytorch"
unzip -q -j -o "$natives"/onnxruntime*.jar 'ai/onnxruntime/native/linux-x64/*' -d "$out/onnxruntime"
# pytorch-jni-<pytorch version>-<djl version>.jar -> engines/pytorch/<pytorch>-<flavor>-linux-x86_64/<djl>-libdjl_torch.so
jni=$(ls "$layers"/dependencies/lib/pytorch-jni-*.jar)
versions=$(basename "$jni" .jar | sed 's/^pytorch-jni-//')
pytorch_version=${versions%%-*}
djl_version=${versions#*-}
jni_dir="$out/engines/pytorch/$pytorch_version-$flavor-linux-x86_64"
mkdir -p "$jni_dir"
unzip -q -p "$jni" "jnilib/linux-x86_64/$flavor/libdjl_torch.so" > "$jni_dir/$djl_version-libdjl_torch.so"
[ -s "$jni_dir/$djl_version-libdjl_torch.so" ]
rm "$natives"/tensorflow-native-*.jar "$natives"/pytorch-native-*.jar
ls -lR "$out"
