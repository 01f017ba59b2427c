// Trojan Source and friends, next to ordinary international text.
const accessLevel = getLevel();
if (accessLevel != "user‮ ⁦// Check if admin⁩ ⁦") { // expect: unicode.bidi-control
  grant();
}
/*‮ } if (isAdmin) ⁦ begin admins only */ // expect: unicode.bidi-control
const is​Admin = false; // expect: unicode.invisible-character
const isАdmin = true; // expect: unicode.mixed-script-identifier
function раураl() {} // expect: unicode.mixed-script-identifier
const greeting = "Привет, мир"; // decoy: plain Cyrillic text
const π = Math.PI; // decoy: a Greek identifier on its own
const café = "naïve résumé"; // decoy: accented Latin
const 名前 = "値"; // decoy: CJK
const family = "👨‍👩‍👧"; // decoy: emoji joiners
const flag = "🏴󠁧󠁢󠁳󠁣󠁴󠁿"; // decoy: Scotland flag
