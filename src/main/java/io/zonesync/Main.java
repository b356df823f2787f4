package io.zonesync; public final class Main { public static void main(String[] a) {} }
