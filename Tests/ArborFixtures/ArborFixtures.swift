public enum ArborFixtures {}
