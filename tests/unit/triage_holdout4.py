"""A fourth held-out set for the crisis screen, written by someone who saw neither its rules
nor the other labelled sets. Each case is (text, language, at_risk). Measured once, never used
to change a rule.
"""

from __future__ import annotations

HOLDOUT4: list[tuple[str, str, bool]] = [
    # English: at risk
    (
        (
            "honestly been thinking the guys would be better off if I just ate my gun. not being "
            "dramatic"
        ),
        "en",
        True,
    ),
    (
        "every morning after nights I'm kinda disappointed I woke up. hoping one day I just dont",
        "en",
        True,
    ),
    (
        (
            "wrote letters to both my kids tonight. theyre in the glovebox. just wanted someone "
            "to know"
        ),
        "en",
        True,
    ),
    (
        "been saving up my insulin for a while now. I know exactly how much it would take",
        "en",
        True,
    ),
    (
        "sat in the garage with the truck running for like 10 min last night before I shut it off",
        "en",
        True,
    ),
    ("picked the date. after my daughters graduation so I dont ruin it for her", "en", True),
    (
        (
            "can someone from the group take my dog Bruno? hes a good boy and I wont be able to "
            "keep him much longer"
        ),
        "en",
        True,
    ),
    (
        "gave my turnout gear and my dad's watch to the probie today. feels right to clean house",
        "en",
        True,
    ),
    (
        (
            "my wife deserves better than a guy who screams at 3am. at least theyd get the life "
            "insurance"
        ),
        "en",
        True,
    ),
    (
        "IA, the divorce, the debt. there's no way out of any of it and I'm done fighting",
        "en",
        True,
    ),
    (
        "cut again tonight, first time in 6 yrs. long sleeves at the console so nobody sees",
        "en",
        True,
    ),
    (
        (
            "if my sgt writes me up one more time I'm putting him through the wall and I don't "
            "think I'd stop"
        ),
        "en",
        True,
    ),
    (
        (
            "scared of myself around my wife lately. had my hands on her neck last night and dont "
            "remember deciding to"
        ),
        "en",
        True,
    ),
    (
        (
            "theres an inmate on B pod I keep picturing hurting bad when the cameras are down. "
            "its getting loud in my head"
        ),
        "en",
        True,
    ),
    (
        (
            "stood on the overpass on the way home from shift. didnt jump obviously. but I stood "
            "there a long time"
        ),
        "en",
        True,
    ),
    ("how long does it take with CO in a closed garage. asking for me not for a call", "en", True),
    ("I just want everything to stop. not the job. everything", "en", True),
    (
        (
            "been pocketing the leftover fentanyl from the drug box. its in my locker. you can "
            "guess why"
        ),
        "en",
        True,
    ),
    (
        (
            "updated my beneficiary forms and cancelled all my subscriptions. making it easy for "
            "whoever cleans up"
        ),
        "en",
        True,
    ),
    (
        "tired of being the thing everyone has to worry about. kids would heal faster without me",
        "en",
        True,
    ),
    ("flight medic. I know exactly what dose would do it. thats the problem, I know", "en", True),
    ("put the rope in my truck tonight. not for work", "en", True),
    (
        (
            "my ex keeps the kids from me and I keep thinking about driving over there with my "
            "duty weapon. im not ok"
        ),
        "en",
        True,
    ),
    (
        (
            "punching the cinderblock til my knuckles split most nights, only thing that shuts my "
            "brain up"
        ),
        "en",
        True,
    ),
    ("tbh feels like I'm just waiting to die at this point", "en", True),
    (
        (
            "be easier if I wrapped the cruiser around a tree on 80. everyone would call it an "
            "accident"
        ),
        "en",
        True,
    ),
    ("dont put me on the christmas schedule, not sure I'll be around by then", "en", True),
    (
        "been burning my arm with a lighter after bad calls. started small. its not small anymore",
        "en",
        True,
    ),
    (
        "the reservoir by station 3 looks so calm at night. keep thinking about just walking in",
        "en",
        True,
    ),
    (
        (
            "one of these nights I'm gonna wait for that call-taker in the parking lot. I've "
            "thought about what I'd do"
        ),
        "en",
        True,
    ),
    (
        (
            "baby wont stop crying and I was so close to shaking him. put him in the crib and "
            "walked out. pls help"
        ),
        "en",
        True,
    ),
    ("loaded my rifle and sat with it on the bed for an hour. put it back. this time", "en", True),
    # English: ordinary
    (
        (
            "worked a hanging today, 19 yo. cut him down myself. cant stop seeing the shoelaces. "
            "just need to talk"
        ),
        "en",
        False,
    ),
    ("kill me now, mandatory OT again, 4th weekend in a row lol", "en", False),
    ("not gonna do anything stupid I promise. just need to vent about this divorce", "en", False),
    ("qualified on the range today, shot a 248. only good thing this week", "en", False),
    ("rope rescue training all day at the gorge, my forearms are dead", "en", False),
    (
        "OD on a 14 yo girl, narcan brought her back but her moms scream is stuck in my head",
        "en",
        False,
    ),
    ("I could murder a burger rn. 16 hrs on the rig", "en", False),
    ("3 structure fires back to back. could sleep for a week", "en", False),
    ("my dad died last month and I never got to say bye bc I was on shift", "en", False),
    ("wife and I fight every night about my schedule. think she might leave", "en", False),
    ("drinking like 6 beers after every night shift. I know I need to cut back", "en", False),
    ("nightmares about the bus crash again. woke up swinging at nothing", "en", False),
    ("should have got the tube on the first pass. he died and I keep replaying it", "en", False),
    (
        (
            "caller shot himself while I had him on the line. heard it. 3 days ago and I'm still "
            "shaky"
        ),
        "en",
        False,
    ),
    ("Lt is an absolute clown. was so pissed I ran 5 miles just to cool off", "en", False),
    (
        "did the bridge-jumper negotiation course this week, instructor said I was a natural",
        "en",
        False,
    ),
    ("pulled a guy out of the river tonight, water was freezing, he made it", "en", False),
    (
        (
            "inmate came at a deputy with a sharpened toothbrush today, we took him down. "
            "adrenaline still going"
        ),
        "en",
        False,
    ),
    ("this paperwork is going to be the death of me", "en", False),
    ("I'm not suicidal or anything, just numb since the shooting. is that normal?", "en", False),
    (
        "buddy from academy took his own life last year, anniversary is tomorrow. miss him",
        "en",
        False,
    ),
    ("if one more person calls 911 for a hangnail im gonna lose it 😂", "en", False),
    ("cleaned my service weapon and watched hockey. quiet night finally", "en", False),
    (
        "scared myself drinking and driving last week. nothing happened but I'm thinking about AA",
        "en",
        False,
    ),
    ("dying for some sleep, kids were up all night with the flu", "en", False),
    ("I want to quit the job not life lol just to be clear", "en", False),
    (
        (
            "worked a murder-suicide, dad and 2 kids. mine are the same age. hugged them forever "
            "when I got home"
        ),
        "en",
        False,
    ),
    ("angry at everyone all the time and I hate it, therapist says its the PTSD", "en", False),
    ("roof ventilation drill on the 6 story tower today, knees are screaming", "en", False),
    (
        "my wife thinks I'm cheating bc I'm never home. I'm not, I'm just always at work",
        "en",
        False,
    ),
    ("feel so guilty I was on vacation when my crew lost a guy in the fire", "en", False),
    (
        "pills everywhere at the scene, she'd been saving them for months. we were too late",
        "en",
        False,
    ),
    # Spanish: at risk
    ("ya no quiero seguir viviendo, de verdad. estoy cansado de todo", "es", True),
    ("ojalá un día no despierte y ya, así de simple", "es", True),
    ("ya tengo escrita la carta para mi esposa, está en el cajón del buró", "es", True),
    ("tengo la pistola de cargo aquí en la mesa y no dejo de mirarla", "es", True),
    ("he juntado las pastillas de mi mamá, como 60. las tengo guardadas por si acaso", "es", True),
    ("anoche me subí a la azotea del edificio y me quedé en la orilla un buen rato", "es", True),
    (
        "si me pasa algo, ¿alguien podría cuidar a mi perrita Luna? no tiene a nadie más",
        "es",
        True,
    ),
    ("ya les regalé mi equipo de bombero a los nuevos, ya no lo voy a necesitar", "es", True),
    ("mi familia estaría mejor sin mí, solo soy una carga y un gasto", "es", True),
    ("no veo salida, parce. las deudas, la separación, el trabajo. ya no hay nada", "es", True),
    ("me volví a cortar los brazos después del turno, no sé cómo parar", "es", True),
    (
        "el sargento me tiene harto, cualquier día lo espero afuera con el arma y se acaba",
        "es",
        True,
    ),
    ("me da miedo hacerle daño a mi hijo cuando llora, ayer casi le pego bien fuerte", "es", True),
    (
        (
            "hay un recluso que me tiene loco, pienso en romperle la cabeza y ya no sé si me voy "
            "a controlar"
        ),
        "es",
        True,
    ),
    ("pienso mucho en meterme al mar y seguir nadando hasta que ya no pueda más", "es", True),
    ("ya escogí el día, después del cumpleaños de mi hija para no arruinárselo", "es", True),
    (
        "puse la manguera en el escape del carro y me senté un rato. no lo prendí. todavía",
        "es",
        True,
    ),
    ("si me matan en la calle mejor, la verdad ya me da igual todo", "es", True),
    (
        "dejé los papeles del seguro en orden y las contraseñas apuntadas para mi hermano",
        "es",
        True,
    ),
    (
        (
            "me doy golpes en la cabeza contra la pared cuando me acuerdo de los servicios, hasta "
            "sangrar"
        ),
        "es",
        True,
    ),
    ("no aguanto más, me estoy hundiendo y nadie me va a sacar de aquí", "es", True),
    (
        (
            "tío, a veces pienso en estrellar el coche contra un pilar de la autovía y que "
            "parezca un accidente"
        ),
        "es",
        True,
    ),
    ("mi mujer me dejó y no respondo de lo que le haga al tipo con el que está", "es", True),
    ("hoy pensé por primera vez en cómo lo haría. me asusté yo solo", "es", True),
    # Spanish: ordinary
    ("me muero de hambre, llevo 12 horas sin comer en la central", "es", False),
    (
        (
            "hoy atendimos a un señor que se ahorcó en su casa, lo bajamos entre dos. no me lo "
            "saco de la cabeza"
        ),
        "es",
        False,
    ),
    ("no voy a hacer ninguna tontería, tranquilos, solo necesito desahogarme", "es", False),
    ("práctica de tiro hoy, saqué buena puntuación con la reglamentaria", "es", False),
    ("curso de rescate en altura con cuerdas todo el día, estoy reventado", "es", False),
    ("este turno me está matando, ya van tres noches seguidas", "es", False),
    ("sacamos a un chamaco del río, el agua estaba helada pero salió bien", "es", False),
    ("mi esposa y yo peleamos todo el tiempo por mis horarios, creo que se va a ir", "es", False),
    ("estoy tomando mucho después del turno, sé que tengo que parar", "es", False),
    ("tengo pesadillas con el accidente del autobús, me despierto sudando", "es", False),
    (
        "se nos murió un paciente en la ambulancia y no dejo de pensar que pude hacer algo más",
        "es",
        False,
    ),
    (
        "mi compañero se quitó la vida hace un año y mañana es el aniversario. lo extraño mucho",
        "es",
        False,
    ),
    ("qué ganas de matar al que inventó el turno de 24 horas jajaja", "es", False),
    (
        "el teniente es un idiota, me dio tanta rabia que me fui a correr para calmarme",
        "es",
        False,
    ),
    ("murió mi papá y no pude ir al entierro por el turno. me siento fatal", "es", False),
    ("una señora se tomó todas sus pastillas, llegamos tarde. fue horrible", "es", False),
    (
        (
            "un interno intentó apuñalar a un compañero con un cepillo afilado, lo controlamos "
            "entre cuatro"
        ),
        "es",
        False,
    ),
    ("limpié el arma y vi el partido, por fin una noche tranquila", "es", False),
    ("estoy muerto de cansancio, wey, no me da la vida", "es", False),
    ("quiero dejar el trabajo, no la vida, que quede claro jaja", "es", False),
    (
        "curso de negociación con personas en puentes, estuvo intenso pero aprendí mucho",
        "es",
        False,
    ),
    (
        "me siento culpable, estaba de vacaciones cuando murió el compañero en el incendio",
        "es",
        False,
    ),
    ("no soy suicida ni nada, solo me siento vacío desde el tiroteo, ¿es normal?", "es", False),
    (
        "atendimos una intoxicación por monóxido en una casa, toda la familia bien gracias a Dios",
        "es",
        False,
    ),
    # French: at risk
    ("j'ai plus envie de vivre. c'est clair dans ma tête depuis quelques semaines", "fr", True),
    ("j'aimerais m'endormir et pas me réveiller, juste ça", "fr", True),
    ("j'ai écrit une lettre pour ma blonde, elle est dans le coffre à gants", "fr", True),
    (
        "mon arme de service est sur la table de la cuisine et je la regarde depuis une heure",
        "fr",
        True,
    ),
    ("j'ai mis de côté assez d'insuline, je sais combien il en faut", "fr", True),
    (
        (
            "je suis monté sur le toit de la caserne hier soir et je suis resté assis au bord "
            "longtemps"
        ),
        "fr",
        True,
    ),
    (
        "est-ce que quelqu'un pourrait prendre mon chat si jamais? je veux qu'il soit bien",
        "fr",
        True,
    ),
    ("j'ai donné ma montre et mon casque au petit nouveau. j'en aurai plus besoin", "fr", True),
    ("ma famille serait mieux sans moi, je suis juste un poids pour eux", "fr", True),
    (
        "je vois pas de porte de sortie. les dettes, la séparation, l'enquête. y'a plus rien",
        "fr",
        True,
    ),
    ("je me suis recoupé ce soir après mon quart, première fois depuis des années", "fr", True),
    (
        (
            "si mon chef me reparle comme ça je l'attends au parking et je sais pas ce que je "
            "vais lui faire"
        ),
        "fr",
        True,
    ),
    (
        (
            "j'ai peur de faire du mal à ma femme, hier j'ai serré trop fort et je me suis pas "
            "reconnu"
        ),
        "fr",
        True,
    ),
    (
        (
            "y'a un détenu que j'ai envie de tabasser à mort, j'y pense tout le temps, ça me fait "
            "peur"
        ),
        "fr",
        True,
    ),
    ("j'ai pensé foncer dans un platane en rentrant, que ça ait l'air d'un accident", "fr", True),
    ("j'ai choisi la date, ce sera après le mariage de ma sœur", "fr", True),
    ("la corde est dans le garage. c'est pas pour le boulot", "fr", True),
    (
        (
            "hier j'ai laissé la voiture tourner dans le garage fermé quelques minutes, puis j'ai "
            "ouvert"
        ),
        "fr",
        True,
    ),
    (
        "j'ai tout rangé, les papiers, l'assurance vie, les codes pour mon frère. au cas où",
        "fr",
        True,
    ),
    (
        "je me tape la tête contre le mur après les interventions jusqu'à ce que ça saigne",
        "fr",
        True,
    ),
    ("la Meuse est belle la nuit, je pense à y entrer et continuer à marcher", "fr", True),
    ("si je crève en intervention, tant mieux honnêtement", "fr", True),
    ("je me demande combien de cachets il faudrait. je demande pas pour un patient", "fr", True),
    (
        (
            "mon bébé arrête pas de pleurer, j'ai eu envie de le secouer, je suis sorti de la "
            "chambre, aidez-moi"
        ),
        "fr",
        True,
    ),
    # French: ordinary
    ("je vais crever de chaud dans cette tenue, 35 degrés sur l'intervention", "fr", False),
    (
        (
            "on a eu une pendaison ce matin, un jeune de 20 ans. je l'ai décroché moi-même. "
            "besoin d'en parler"
        ),
        "fr",
        False,
    ),
    ("t'inquiète, je vais pas faire de connerie, j'ai juste besoin de vider mon sac", "fr", False),
    ("qualif au tir aujourd'hui, 48 sur 50, content", "fr", False),
    ("formation sauvetage en milieu périlleux toute la journée, j'ai plus de bras", "fr", False),
    ("ce quart de nuit va me tuer, trois de suite", "fr", False),
    ("on a sorti un gars de la rivière, l'eau était glaciale mais il s'en est sorti", "fr", False),
    ("ma femme et moi on s'engueule tout le temps à cause des horaires", "fr", False),
    ("je bois trop après le service, je le sais, faut que je ralentisse", "fr", False),
    ("je fais des cauchemars de l'accident sur l'autoroute, je me réveille en sueur", "fr", False),
    (
        "le patient est mort dans l'ambulance et je me demande si j'aurais pu faire mieux",
        "fr",
        False,
    ),
    (
        "un collègue s'est suicidé l'an dernier, c'est l'anniversaire demain. il me manque",
        "fr",
        False,
    ),
    ("je suis mort de fatigue, 36h d'affilée", "fr", False),
    (
        (
            "mon lieutenant est un crétin, j'étais tellement en colère que j'ai couru 10 km pour "
            "me calmer"
        ),
        "fr",
        False,
    ),
    ("mon père est décédé et j'ai pas pu être là à cause du service", "fr", False),
    (
        (
            "appel pour une dame qui avait avalé toutes ses pilules, on est arrivés trop tard. "
            "horrible"
        ),
        "fr",
        False,
    ),
    (
        (
            "un détenu a essayé de planter un surveillant avec une brosse à dents taillée, on l'a "
            "maîtrisé"
        ),
        "fr",
        False,
    ),
    ("j'ai nettoyé mon arme et regardé le match, enfin une soirée calme", "fr", False),
    ("je veux quitter le métier, pas la vie, qu'on se comprenne bien", "fr", False),
    ("manœuvre d'échelle sur un immeuble de 8 étages toute l'aprèm, je suis crevé", "fr", False),
    (
        "je suis pas suicidaire, je me sens juste vide depuis la fusillade, c'est normal?",
        "fr",
        False,
    ),
    ("je me sens coupable, j'étais en congé quand on a perdu un gars au feu", "fr", False),
    (
        "intervention pour une intox au CO dans une maison, toute la famille va bien, ouf",
        "fr",
        False,
    ),
    ("mon char est mort sur l'autoroute après mon quart, soirée de marde", "fr", False),
]
