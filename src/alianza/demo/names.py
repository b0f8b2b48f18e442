"""Plausible generated names for demo officers (common given and family names; no real people)."""

US_GIVEN = """James Michael Robert David John William Daniel Christopher Joseph Matthew Anthony
Jose Luis Carlos Juan Miguel Jesus Antonio Alejandro Ricardo Francisco Sarah Jennifer Maria
Jessica Ashley Emily Amanda Melissa Laura Ana Gabriela Monica Veronica Andrew Kevin Brian
Steven Eric Jason Ryan Adam Nathan Aaron Victor Ruben Hector Oscar Raul Sergio Adrian""".split()
US_FAMILY = """Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore
Martin Jackson Thompson White Harris Clark Lewis Walker Hall Allen Young King Wright Scott
Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera
Gomez Diaz Reyes Morales Ortiz Castillo Romero Vasquez Mendoza Ruiz Alvarez Chavez Nelson
Baker Carter Mitchell Roberts Campbell Parker Evans Edwards Collins Stewart Murphy Cook""".split()
MX_GIVEN = """José Juan Luis Carlos Jorge Miguel Francisco Jesús Alejandro Manuel Ricardo Eduardo
Fernando Roberto Sergio Arturo Javier Raúl Héctor Óscar Martín Rafael Daniel Andrés Pedro
María Guadalupe Verónica Patricia Alejandra Leticia Gabriela Adriana Claudia Rosa Elena
Mónica Laura Silvia Beatriz Araceli Yolanda Karina Diana Lucía Fabiola Norma Marisol""".split()
MX_FAMILY = """Hernández García Martínez López González Rodríguez Pérez Sánchez Ramírez Cruz Flores
Gómez Morales Vázquez Reyes Jiménez Torres Díaz Gutiérrez Ruiz Mendoza Aguilar Ortiz Moreno
Castillo Romero Álvarez Méndez Chávez Rivera Juárez Ramos Domínguez Herrera Medina Castro
Vargas Guzmán Velázquez Rojas Contreras Salazar Luna Ortega Santiago Estrada Bautista Soto
Valenzuela Villa Acosta Lugo Encinas Bojórquez Quintero Durazo Valdez Ibarra Othón Félix""".split()

US_RANKS = [
    "Border Patrol Agent",
    "Border Patrol Agent",
    "Border Patrol Agent",
    "Supervisory Border Patrol Agent",
    "Watch Commander",
    "Patrol Agent in Charge",
]
MX_RANKS = ["Agente", "Agente", "Agente", "Suboficial", "Oficial", "Inspector", "Comisario"]

# The demo logins: names drawn from neither list above, so no generated officer shares one.
DEMO_LOGIN_NAMES = {
    "us.analyst": ("Rachel", "Donovan"),
    "us.agent": ("Marcus", "Delgado"),
    "us.supervisor": ("Linda", "Kowalski"),
    "us.training": ("Teresa", "Nakamura"),
    "us.vetting": ("Gregory", "Halvorsen"),
    "us.integrity": ("Denise", "Carrasco"),
    "us.admin": ("Paul", "Brennan"),
    "mx.analyst": ("Mariana", "Téllez Robles"),
    "mx.agent": ("Iván", "Cota Leyva"),
    "mx.supervisor": ("Ernesto", "Siqueiros Paz"),
    "mx.training": ("Rocío", "Amaya Corral"),
    "mx.vetting": ("Alfredo", "Murrieta Olea"),
    "mx.integrity": ("Cecilia", "Tapia Escalante"),
    "mx.admin": ("Gustavo", "Noriega Luján"),
}
