public enum ArborModel {}
