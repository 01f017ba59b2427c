# -*- coding: utf-8 -*-
def check(user):
    if user.role == "admin‮":  # expect: unicode.bidi-control
        return True
    nаme = user.name  # expect: unicode.mixed-script-identifier
    ΑΒΓ = "greek letters as a constant name"
    return False
