public enum ArborIndex {}
