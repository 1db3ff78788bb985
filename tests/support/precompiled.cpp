// The translation unit that builds tests' precompiled header (support/CMakeLists.txt).
